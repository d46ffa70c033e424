import { CloseCode, type Member, type ResolvedTopic, type ServerEnvelope } from '@oxidite/protocol';
import type { PresenceChange, StreamMessage } from '../pubsub';
import type { BucketState, ConnectionInfo, InboundLimit, InboundLimitState, Principal } from '../security';
import { type ErrorExtra, errorEnvelope } from './error-envelope';
import { OutboundEnvelope, type OutboundMessage } from './outbound-message';
import type { Peer } from './peer';
import { SubscriptionTable } from './subscription-table';

/** A connection's subscription to one topic. */
export interface Subscription {
  readonly topic: string;
  readonly resolved: ResolvedTopic;
  /**
   * Live messages that arrived while the subscribe handshake was reading history; flushed (minus
   * what history already delivered) when it completes. `undefined` once live.
   */
  pending: StreamMessage[] | undefined;
  /**
   * Presence changes announced during the handshake, when the member list in `subscribed` may
   * already have been read: reconciled with that list once live, so a join in that window is
   * never lost (issue #15, item 7).
   */
  parkedPresence: PresenceChange[] | undefined;
  /** The presence member this connection announced on the topic, if any. */
  member: Member | undefined;
}

/** Options of a new {@link Connection}. */
export interface ConnectionInit {
  readonly id: string;
  readonly peer: Peer;
  readonly principal: Principal | null;
  readonly remoteAddress: string;
  readonly origin: string | undefined;
  readonly now: number;
  /** The message rate limit: one per hub, shared by its connections (their state is kept here). */
  readonly inbound: InboundLimit;
}

/**
 * Hub-side state of one client connection, whatever its transport. Idle memory per connection is
 * what a real-time server is sized by (issue #18, goal 3), so what could be objects of their own
 * is kept in this one: the subscription table is its base class (`subscriptions` is the
 * connection itself, seen as the table), the inbound limit's counters are fields here (the rule
 * is shared by every connection of the hub), and one timer field serves the token refresh.
 */
export class Connection extends SubscriptionTable<Subscription> implements ConnectionInfo, InboundLimitState {
  readonly id: string;
  readonly peer: Peer;
  readonly remoteAddress: string;
  readonly origin: string | undefined;
  principal: Principal | null;
  /** The per-connection message rate limit (shared rule; the state is `inboundBucket` and `refusedInARow`). */
  readonly inbound: InboundLimit;
  inboundBucket: BucketState | undefined;
  refusedInARow = 0;
  /** The subscribe bucket's tokens and time, kept as fields: see {@link subscribeBucket}. */
  #subscribeTokens: number | undefined;
  #subscribeAt: number | undefined;
  /** Last time anything was heard from the client (ms). */
  lastSeen: number;
  /** Inbound requests being processed; bounded so a flood cannot queue without limit. */
  inflight = 0;
  /** Serializes ordered requests (subscribe, unsubscribe, publish) of this connection; created on first use. */
  chain: Promise<void> | undefined;
  /**
   * The token-refresh timer (see `refresh.ts`): until the `refresh` is sent, the one that sends it;
   * then the one that closes the connection if no fresh token arrives. Never both at once.
   */
  authTimer: ReturnType<typeof setTimeout> | undefined;
  /** While a requested refresh is awaited: frames the rate limit lets through anyway, for the `auth` answer. */
  refreshPasses = 0;

  constructor(init: ConnectionInit) {
    super();
    this.id = init.id;
    this.peer = init.peer;
    this.principal = init.principal;
    this.remoteAddress = init.remoteAddress;
    this.origin = init.origin;
    this.lastSeen = init.now;
    this.inbound = init.inbound;
  }

  /**
   * The per-connection subscribe bucket (`subscribesPerConnection`); undefined until the first
   * subscribe. Stored as two fields rather than the state object (32 bytes less per connection,
   * issue #18 goal 3), so each read makes a fresh object: read it once per subscribe.
   */
  get subscribeBucket(): BucketState | undefined {
    const tokens = this.#subscribeTokens;
    return tokens === undefined ? undefined : { tokens, updatedAt: this.#subscribeAt ?? 0 };
  }

  set subscribeBucket(state: BucketState | undefined) {
    this.#subscribeTokens = state?.tokens;
    this.#subscribeAt = state?.updatedAt;
  }

  /** The connection's subscriptions by topic. */
  get subscriptions(): SubscriptionTable<Subscription> {
    return this;
  }

  get transport(): 'websocket' | 'sse' {
    return this.peer.transport;
  }

  /**
   * Sends a control envelope; a fan-out (presence, broadcast) passes one {@link OutboundEnvelope}
   * to every connection so that it is serialized once.
   */
  send(envelope: ServerEnvelope | OutboundEnvelope): void {
    if (!this.peer.isOpen) return;
    this.peer.send(envelope instanceof OutboundEnvelope ? envelope : new OutboundEnvelope(envelope));
  }

  /** Sends an `error` envelope, cut to what the protocol accepts (see {@link errorEnvelope}). */
  error(id: number | undefined, code: string, message: string, extra?: ErrorExtra): void {
    this.send(errorEnvelope(id, code, message, extra));
  }

  /** Delivers a stream message, or parks it while the subscription's handshake is running. */
  deliver(subscription: Subscription, message: OutboundMessage, capacity: number): void {
    if (subscription.pending) {
      subscription.pending.push(message.message);
      if (subscription.pending.length > capacity) this.close(CloseCode.TRY_AGAIN_LATER, 'slow consumer');
      return;
    }
    this.peer.deliver(message);
  }

  /** Closes the connection (the peer trims the reason and counts the close by code). */
  close(code: CloseCode, reason: string): void {
    this.peer.close(code, reason);
  }

  /** The connection's own view for hooks (no internals). */
  info(): ConnectionInfo {
    return {
      id: this.id,
      transport: this.transport,
      principal: this.principal,
      remoteAddress: this.remoteAddress,
      origin: this.origin,
    };
  }
}
