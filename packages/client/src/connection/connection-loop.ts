import {
  CloseCode,
  ErrorCode,
  RealtimeError,
  reconnectAdvice,
  type ServerEnvelope,
  type Welcome,
} from '@oxidite/protocol';
import type { ResolvedOptions } from '../options';
import type { ClientState, Retry, StateChange } from '../state';
import { after, type Cancel, noop, within } from '../util/timers';
import { backoffDelay, gaveUp } from './backoff';
import { ABNORMAL_CLOSURE, SocketSession } from './socket-session';
import { clientSubprotocols } from './token';
import type { WebSocketConstructor } from './websocket-like';

/** What the connection loop tells the client. */
export interface LoopHooks {
  /**
   * A connection is usable: restore subscriptions and flush the queue now. The state turns
   * `open` when the client calls `restored()`, once the server answered the resubscribes.
   * `token` is the one the connection was opened with.
   */
  onOpen(session: SocketSession, welcome: Welcome, token: string | undefined): void;
  /** An envelope from the live connection. */
  onEnvelope(envelope: ServerEnvelope): void;
  /** The live connection is gone (requests in flight on it are lost), closed with `code`. */
  onDisconnect(code: number): void;
  /** Every state change, before it is announced to the application. */
  onState(change: StateChange): void;
  /** The next connection attempt is scheduled (`attempt` since the last healthy connection). */
  onRetry(retry: Retry): void;
  /** Something went wrong that the application may want to know about. */
  onError(error: RealtimeError): void;
}

/**
 * The reconnect loop and the one state machine of a client. Written for this client rather than
 * taken from reconnecting-websocket (see the README): it decides per close code
 * (`reconnectAdvice`), asks async providers for the URL and a fresh token before every attempt,
 * spreads retries with full jitter, and counts a connection as up only after `welcome`. The retry
 * count starts over once a connection proved healthy: every resubscribe confirmed, or `minUptime`.
 */
export class ConnectionLoop {
  readonly #options: ResolvedOptions;
  readonly #WebSocket: WebSocketConstructor;
  readonly #hooks: LoopHooks;
  #state: ClientState = 'connecting';
  #session: SocketSession | undefined;
  #live: SocketSession | undefined;
  /** Failed attempts since the last connection that proved healthy (see `restored()`) or stayed up `minUptime`. */
  #retries = 0;
  /** Whether a 4401 already cost us a fresh token; a second one in a row stops the client. */
  #hasRefreshedToken = false;
  #cancelRetry: Cancel = noop;
  #cancelUptime: Cancel = noop;
  /** Bumped by every attempt and by `close()`, so a slow provider cannot resurrect a stale attempt. */
  #generation = 0;
  #announcements: StateChange[] = [];
  #isAnnouncing = false;

  constructor(options: ResolvedOptions, WebSocket: WebSocketConstructor, hooks: LoopHooks) {
    this.#options = options;
    this.#WebSocket = WebSocket;
    this.#hooks = hooks;
  }

  get state(): ClientState {
    return this.#state;
  }

  /** The connection, while it is usable (after `welcome`). */
  get live(): SocketSession | undefined {
    return this.#live;
  }

  /**
   * The server answered every resubscribe sent on `session`: the state turns `open`. When each was
   * confirmed the connection proved healthy and the next failure retries from the first backoff
   * step. A connection with nothing to resubscribe proved only its handshake, which a server that
   * accepts and then closes at once also completes: for it `minUptime` decides.
   */
  restored(session: SocketSession, isHealthy: boolean): void {
    if (this.#live !== session) return;
    if (isHealthy) this.#healthy();
    this.#setState('open');
  }

  /** Makes the first connection attempt. */
  start(): void {
    void this.#connect();
  }

  /** Closes for good: no reconnect. */
  close(code: number = CloseCode.NORMAL, reason = 'client closed'): void {
    if (this.#state === 'closed') return;
    this.#generation++;
    this.#cancelRetry();
    this.#cancelUptime();
    const session = this.#session;
    this.#session = undefined;
    this.#live = undefined;
    session?.dispose(code, reason);
    this.#setState('closed', code, reason);
  }

  async #connect(): Promise<void> {
    const generation = ++this.#generation;
    const { url, token } = this.#options;
    const { connectionTimeout } = this.#options.reconnect;
    let target: string;
    let bearer: string | undefined;
    let step = 'url';
    try {
      // A provider that never answers would stall the client for good: it counts against the
      // attempt's connectionTimeout like the handshake does, then the attempt is retried.
      target = typeof url === 'function' ? await within(url(), connectionTimeout) : url;
      step = 'token';
      bearer = typeof token === 'function' ? await within(token(), connectionTimeout) : token;
    } catch (error) {
      if (generation !== this.#generation) return;
      const code = step === 'token' ? ErrorCode.UNAUTHORIZED : ErrorCode.INTERNAL;
      this.#hooks.onError(new RealtimeError(code, `the ${step} provider failed`, { cause: error }));
      this.#retry(undefined, `${step} provider failed`);
      return;
    }
    if (generation !== this.#generation) return;
    try {
      const session: SocketSession = new SocketSession(
        this.#WebSocket,
        target,
        clientSubprotocols(bearer),
        { connectionTimeout, heartbeatTimeout: this.#options.heartbeatTimeout },
        {
          onWelcome: (welcome) => this.#opened(session, welcome, bearer),
          onEnvelope: (envelope) => {
            if (this.#live === session) this.#hooks.onEnvelope(envelope);
          },
          onMalformed: (why) =>
            this.#hooks.onError(new RealtimeError(ErrorCode.MALFORMED, `dropped a bad frame: ${why}`)),
          onClose: (code, reason) => this.#closed(session, code, reason),
        },
      );
      this.#session = session;
    } catch (error) {
      this.#hooks.onError(
        new RealtimeError(ErrorCode.INVALID, `cannot open a WebSocket to ${target}`, { cause: error }),
      );
      this.#retry(undefined, 'cannot open a WebSocket');
    }
  }

  #opened(session: SocketSession, welcome: Welcome, token: string | undefined): void {
    if (this.#session !== session) return;
    this.#live = session;
    this.#cancelUptime = after(this.#options.reconnect.minUptime, () => this.#healthy());
    this.#hooks.onOpen(session, welcome, token);
  }

  /** The live connection proved healthy: retries and the token refresh start over. */
  #healthy(): void {
    this.#cancelUptime();
    this.#retries = 0;
    this.#hasRefreshedToken = false;
  }

  #closed(session: SocketSession, code: number, reason: string): void {
    if (this.#session !== session) return;
    this.#session = undefined;
    this.#cancelUptime();
    if (this.#live === session) {
      this.#live = undefined;
      this.#hooks.onDisconnect(code);
    }
    const advice = reconnectAdvice(code);
    if (advice === 'reconnect') {
      this.#retry(code, reason);
    } else if (advice === 'refresh-token' && !this.#hasRefreshedToken) {
      // The token expired or was revoked: one immediate attempt with a fresh one; a second 4401 stops.
      this.#hasRefreshedToken = true;
      this.#setState('reconnecting', code, reason);
      void this.#connect();
    } else {
      this.close(code, reason);
    }
  }

  #retry(code: number | undefined, reason: string): void {
    const { maxRetries } = this.#options.reconnect;
    if (this.#retries >= maxRetries) {
      this.close(code ?? ABNORMAL_CLOSURE, gaveUp(maxRetries, reason));
      return;
    }
    const delay = backoffDelay(this.#retries, this.#options.reconnect);
    this.#retries++;
    this.#setState('reconnecting', code, reason);
    this.#hooks.onRetry({ attempt: this.#retries, delay });
    this.#cancelRetry = after(delay, () => void this.#connect());
  }

  /**
   * The one place the state changes. Changes made by a listener while a change is being announced
   * (e.g. `close()` when `open` arrives) are announced after it, so listeners see them in order.
   */
  #setState(to: ClientState, code?: number, reason?: string): void {
    const from = this.#state;
    if (from === to) return;
    this.#state = to;
    this.#announcements.push({ from, to, ...(code === undefined ? {} : { code }), ...(reason ? { reason } : {}) });
    if (this.#isAnnouncing) return;
    this.#isAnnouncing = true;
    try {
      for (let change = this.#announcements.shift(); change; change = this.#announcements.shift()) {
        this.#hooks.onState(change);
      }
    } finally {
      this.#isAnnouncing = false;
    }
  }
}
