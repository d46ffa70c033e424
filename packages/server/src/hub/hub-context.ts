import type { MethodMap, TopicRegistry } from '@oxidite/protocol';
import type { RealtimeLimits } from '../config';
import type { Log, RealtimeStats, Tracing } from '../observability';
import type { Broker } from '../pubsub';
import type {
  AuthorizeHook,
  ConnectionCounter,
  ConnectionInfo,
  RateLimiter,
  ResolvedRateLimits,
  TokenVerifier,
} from '../security';
import type { RpcRegistry } from './rpc-registry';
import type { TopicGroups } from './topic-groups';

/** The verdict of a message filter. */
export type FilterVerdict = boolean | { readonly reject: string };

/** A hook run before fan-out on every client publish (e.g. moderation). */
export type MessageFilter = (message: {
  readonly topic: string;
  readonly data: unknown;
  readonly connection: ConnectionInfo;
}) => FilterVerdict | Promise<FilterVerdict>;

/** How a connection ended (`disconnect` event). */
export interface CloseInfo {
  /** The close code: the one sent or received in the close handshake; 1006 when the link dropped. */
  readonly code: number;
  /** The close reason (empty when none). */
  readonly reason: string;
}

/** A subscription that went live (`subscribe` event). */
export interface SubscribeInfo {
  readonly topic: string;
  /** The topic's position when the subscription went live. */
  readonly offset: string;
  /**
   * Only for a resubscribe with `since`: whether every message after it was delivered. False when
   * the gap could not be filled (history evicted, or another epoch: a restarted server).
   */
  readonly recovered?: boolean | undefined;
  /** How many retained messages were replayed before the subscription went live (`since` or `rewind`). */
  readonly replayed: number;
}

/** A live subscription that ended (`unsubscribe` event). */
export interface UnsubscribeInfo {
  readonly topic: string;
  /** `request`: the client unsubscribed; `disconnect`: its connection closed. */
  readonly reason: 'request' | 'disconnect';
}

/** Lifecycle callbacks of the hub, wired to `rt.on(...)` events by the server. */
export interface HubEvents {
  onOpen(connection: ConnectionInfo): void;
  onClose(connection: ConnectionInfo, close: CloseInfo): void;
  onSubscribe(connection: ConnectionInfo, subscription: SubscribeInfo): void;
  onUnsubscribe(connection: ConnectionInfo, subscription: UnsubscribeInfo): void;
}

/** Everything the request handlers share. */
export interface HubContext {
  readonly broker: Broker;
  readonly topics: TopicRegistry;
  readonly methods: MethodMap | undefined;
  readonly rpc: RpcRegistry;
  readonly groups: TopicGroups;
  readonly limits: RealtimeLimits;
  /** The app's hook, asked after the declared topic rules allowed a request. */
  readonly authorize: AuthorizeHook | undefined;
  readonly filter: MessageFilter | undefined;
  readonly verifyToken: TokenVerifier | undefined;
  readonly rateLimits: ResolvedRateLimits;
  readonly rateLimiter: RateLimiter;
  /** Rate-limited requests in a row that close a connection with 4429. */
  readonly abuseThreshold: number;
  readonly counter: ConnectionCounter;
  readonly stats: RealtimeStats;
  /** The server's log (see `createLog`). */
  readonly log: Log;
  /** Spans, when the `telemetry` option is on; checked once per request. */
  readonly tracing: Tracing | undefined;
  readonly now: () => number;
  /** Reports an unexpected error (never a peer's bad input). */
  readonly reportError: (error: unknown, context: string) => void;
  /** Lifecycle callbacks (server events). */
  readonly events: HubEvents;
}
