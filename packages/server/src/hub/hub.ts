import { type ClientEnvelope, CloseCode, ErrorCode, RealtimeError, type Subscribe } from '@oxidite/protocol';
import { InboundLimit, type Principal } from '../security';
import { Connection } from './connection';
import { type ClientPublishFrame, dispatch } from './dispatch';
import type { HubContext } from './hub-context';
import { OutboundEnvelope } from './outbound-message';
import type { Peer } from './peer';
import { scheduleRefresh } from './refresh';
import type { TopicCheck } from './authorize-topic';
import { release, subscribe } from './subscribe';
import { isDecodable, tooDeep, wireData } from './wire-data';

/** What a transport passes to open a connection. */
export interface OpenRequest {
  readonly peer: Peer;
  readonly principal: Principal | null;
  readonly remoteAddress: string;
  readonly origin: string | undefined;
  /** The session id, when the transport needed it before opening (SSE authorizes its topics first). @default a new one */
  readonly id?: string | undefined;
}

let counter = 0;

/** A session id: unique per process and unguessable enough to name presence members. */
export function createSessionId(): string {
  counter = (counter + 1) % 0x7fffffff;
  return `${Date.now().toString(36)}${counter.toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * The hub: connections of every transport, their subscriptions and requests. Transports open a
 * connection with a {@link Peer}, feed it decoded envelopes, and close it.
 */
/** What {@link Hub.admitFrame} may need to know about a frame it refuses; asked only then. */
export interface FramePeek<F> {
  /** Whether it is an `auth` (the answer to the server's own `refresh`). */
  isRefreshAnswer(frame: F): boolean;
  /** The request id it carries, if it has a usable one. */
  requestId(frame: F): number | undefined;
}

export class Hub {
  readonly context: HubContext;
  /**
   * The open connections. A `Set`, not a `Map` by id: an entry is a third smaller, and idle memory
   * per connection is what a server is sized by (issue #18, goal 3); only the inspector's
   * "disconnect" looks one up by id, and it can afford the scan.
   */
  readonly #connections = new Set<Connection>();
  #drainWaiters: (() => void)[] = [];
  /** Set by `shutdown()`: the peers it closed (cut by `terminate()`), and no new connection stays. */
  #closedPeers: Peer[] | undefined;

  /** The context's clock, called as its method (a custom `now` may rely on `this`), made once. */
  readonly #now: () => number;
  /** The message rate limit's rule, one for every connection (each keeps its own counters). */
  readonly #inbound: InboundLimit;

  constructor(context: HubContext) {
    this.context = context;
    this.#now = () => context.now();
    this.#inbound = new InboundLimit(context.rateLimits.messagesPerConnection, context.abuseThreshold);
  }

  /** Open connections (`rt.stats()` counts them per transport; this is the total the caps compare to). */
  get size(): number {
    return this.#connections.size;
  }

  /**
   * Sends `data` to every connection on this node, subscribed or not (`rt.broadcast`): one
   * envelope, serialized once, through each connection like any other delivery.
   */
  broadcast(data: unknown): { sent: number; failed: number } {
    const envelope = new OutboundEnvelope({ type: 'broadcast', data: wireData(data), ts: this.context.now() });
    if (!isDecodable(envelope.text())) throw new RealtimeError(ErrorCode.INVALID, tooDeep('broadcast data'));
    let sent = 0;
    let failed = 0;
    for (const connection of this.#connections) {
      if (connection.peer.isOpen) {
        connection.send(envelope);
        sent++;
      } else {
        failed++;
        this.context.stats.dropped++;
      }
    }
    return { sent, failed };
  }
  /** The open connections of this node (the inspector's snapshot reads them). */
  connections(): IterableIterator<Connection> {
    return this.#connections.values();
  }

  /** Closes one connection by its session id; false when this node has none by that id. */
  closeConnection(id: string, code: CloseCode, reason: string): boolean {
    for (const connection of this.#connections) {
      if (connection.id !== id) continue;
      connection.close(code, reason);
      return true;
    }
    return false;
  }

  /** Closes every connection of user `userId` on this node (`rt.disconnect`); returns how many. */
  disconnectUser(userId: string, code: CloseCode, reason: string): number {
    const targets = [...this.#connections.values()].filter((connection) => connection.principal?.id === userId);
    for (const connection of targets) connection.close(code, reason);
    return targets.length;
  }

  open(request: OpenRequest): Connection {
    const connection = new Connection({
      ...request,
      id: request.id ?? createSessionId(), // after the spread: an `id: undefined` must not win
      now: this.context.now(),
      inbound: this.#inbound,
    });
    this.#connections.add(connection);
    this.context.counter.add(connection.remoteAddress, connection.principal?.id);
    this.context.stats.connections[connection.transport]++;
    this.context.stats.connectionsTotal++;
    scheduleRefresh(this.context, connection);
    this.context.events.onOpen(connection.info());
    if (this.#closedPeers) {
      // Admitted while the server was shutting down (an auth hook was still running).
      this.#closedPeers.push(connection.peer);
      connection.close(CloseCode.GOING_AWAY, 'server shutting down');
    }
    return connection;
  }

  /**
   * Charges one inbound frame (valid or not) to the connection's rate limit. Returns false when
   * the frame must be dropped: the client got `rate_limited`, or was closed with 4429 for abuse.
   * While the server awaits a token refresh it asked for, a few frames that `isRefreshAnswer`
   * (asked only then, so the usual path never decodes twice) recognises as `auth` pass anyway:
   * the answer to our own `refresh` must never be refused into a 4401. The frame is passed along
   * rather than captured in a closure: no allocation per frame on the usual path. A refused
   * request is answered with its id (`peek.requestId`, read only then), so the client can settle
   * it: an `error` without one would leave a subscribe or an RPC waiting forever.
   */
  admitFrame<F>(connection: Connection, frame: F, peek: FramePeek<F>): boolean {
    const verdict = connection.inbound.take(connection, this.#now);
    if (verdict.allowed) return true;
    if (connection.refreshPasses > 0 && peek.isRefreshAnswer(frame)) {
      connection.refreshPasses--;
      return true;
    }
    this.context.stats.rateLimited++;
    if (verdict.isAbuse) connection.close(CloseCode.RATE_LIMITED, 'rate limit exceeded');
    else {
      connection.error(peek.requestId(frame), ErrorCode.RATE_LIMITED, 'too many messages', {
        retryAfter: verdict.retryAfter,
      });
    }
    return false;
  }

  /**
   * Subscribes with an authorization already decided (SSE asks before it answers the request,
   * so that a stream whose every topic is refused gets an HTTP status instead of a 200).
   */
  subscribeChecked(connection: Connection, request: Subscribe, check: TopicCheck): void {
    subscribe(this.context, connection, request, check).catch((error: unknown) => {
      this.context.reportError(error, 'subscribe request');
      connection.error(request.id, ErrorCode.INTERNAL, 'subscribe failed');
    });
  }

  /** Every decoded envelope enters here: it counts as life for the heartbeat (`lastSeen`) before dispatch. */
  receive(connection: Connection, envelope: ClientEnvelope | ClientPublishFrame): void {
    connection.lastSeen = this.context.now();
    dispatch(this.context, connection, envelope);
  }

  /**
   * Forgets a closed connection: subscriptions, presence, timers. Idempotent. `code` and `reason`
   * are what the close handshake carried (1006: none, the link dropped).
   */
  close(connection: Connection, code = 1006, reason = ''): void {
    if (!this.#connections.delete(connection)) return;
    this.context.stats.connections[connection.transport]--;
    this.context.counter.remove(connection.remoteAddress, connection.principal?.id);
    clearTimeout(connection.authTimer);
    for (const subscription of [...connection.subscriptions.values()]) {
      release(this.context, connection, subscription, 'disconnect');
    }
    this.context.events.onClose(connection.info(), { code, reason });
    if (this.#connections.size === 0) {
      for (const resolve of this.#drainWaiters.splice(0)) resolve();
    }
  }

  /** Resolves once no connection is open: what `rt.close()` waits for, within its grace. */
  drained(): Promise<void> {
    if (this.#connections.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#drainWaiters.push(resolve));
  }

  /** Closes every connection with 1001 so clients reconnect (elsewhere); later ones too. */
  shutdown(reason = 'server shutting down'): void {
    this.#closedPeers ??= [];
    for (const connection of [...this.#connections.values()]) {
      this.#closedPeers.push(connection.peer);
      connection.close(CloseCode.GOING_AWAY, reason);
    }
  }

  /**
   * After `shutdown()`'s grace: cuts every link it closed that is still there, i.e. clients that
   * never completed the close handshake and SSE readers whose socket never drained.
   */
  terminate(): void {
    for (const peer of this.#closedPeers?.splice(0) ?? []) peer.terminate();
  }
}
