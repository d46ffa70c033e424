import { ErrorCode, RealtimeError, type SseEvent, type TopicMap } from '@oxidite/protocol';
import { backoffDelay, gaveUp } from '../connection/backoff';
import type { ClientState } from '../state';
import { BACKOFF_DEFAULTS, withDefaults } from '../options';
import { after, type Cancel, noop, within } from '../util/timers';
import type { EventStreamClient, EventStreamOptions, EventStreamStateChange } from './event-stream-types';
import { runtime, type SseFetch } from './fetch-like';
import { openSseRequest } from './sse-request';
import { adviceFor, describe, type Failure, type StreamEnd } from './stream-end';
import { createTopicDeliveries, parseEnvelope } from './topic-deliveries';

/**
 * A typed Server-Sent Events client that owns its reconnect, like the WebSocket client: it reads
 * the stream with `fetch` (to see the HTTP status and `Retry-After`, which `EventSource` hides),
 * retries with full-jitter backoff after any failure but a final refusal (403, a second 401),
 * resumes every topic from the last event id, validates payloads, drops anything already seen,
 * and reports a lost gap through `onReset`.
 *
 * @example
 * const stream = createEventStream('https://example.com/events', {
 *   topics,
 *   handlers: { 'analytics:metrics': (snapshot) => render(snapshot) },
 *   token: () => auth.token(),
 *   onState: ({ to }) => indicator.show(to),
 * });
 * @throws RealtimeError `invalid` when there is no `fetch` (pass one through `options.fetch`)
 */
export function createEventStream<const T extends TopicMap>(
  url: string,
  options: EventStreamOptions<T>,
): EventStreamClient {
  const fetch: SseFetch | undefined = options.fetch ?? runtime.fetch?.bind(globalThis);
  if (!fetch) throw new RealtimeError(ErrorCode.INVALID, 'No fetch implementation: pass { fetch }');
  const topics = Object.keys(options.handlers);
  const schedule = withDefaults(BACKOFF_DEFAULTS, options.reconnect);
  const report = (error: RealtimeError): void => options.onError?.(error);
  const deliveries = createTopicDeliveries(options, report);

  let state: ClientState = 'connecting';
  let request: { cancel(): void } | undefined;
  let cancelRetry: Cancel = noop;
  /** Bumped by every attempt and by `close()`, so a slow token provider cannot revive a stale attempt. */
  let generation = 0;
  /** Failed attempts since the last stream on which the server confirmed every topic. */
  let retries = 0;
  let hasRefreshedToken = false;
  /** The server's `retry:`, the least it wants between attempts. */
  let serverRetry = 0;
  /** The last event id: the server's resume positions for every topic. */
  let lastEventId = '';
  /** Topics answered on the current stream, and whether every answer was a confirmation. */
  let answered = new Set<string>();
  let isConfirmed = true;

  const setState = (to: ClientState, failure?: Failure): void => {
    if (state === to) return;
    const change: EventStreamStateChange = {
      from: state,
      to,
      ...(failure?.status === undefined ? {} : { status: failure.status }),
      ...(failure ? { reason: failure.reason } : {}),
    };
    state = to;
    options.onState?.(change);
  };

  const stop = (failure: Failure): void => {
    generation++;
    cancelRetry();
    request?.cancel();
    request = undefined;
    setState('closed', failure);
  };

  const retry = (failure: Failure): void => {
    request = undefined;
    if (retries >= schedule.maxRetries) {
      stop({ ...failure, reason: gaveUp(schedule.maxRetries, failure.reason) });
      return;
    }
    // The server's wishes are a floor; the jitter on top keeps clients from coming back together.
    const delay = Math.max(failure.retryAfter ?? 0, serverRetry) + backoffDelay(retries, schedule);
    retries++;
    setState('reconnecting', failure);
    cancelRetry = after(delay, () => void connect());
  };

  const answer = (topic: string, isOk: boolean): void => {
    if (!topics.includes(topic) || answered.has(topic)) return;
    answered.add(topic);
    if (!isOk) isConfirmed = false;
    if (answered.size < topics.length) return;
    if (isConfirmed) {
      retries = 0; // a stream that confirmed every topic was healthy: the next failure starts over
      hasRefreshedToken = false;
    }
    setState('open');
  };

  const receive = (event: SseEvent): void => {
    lastEventId = event.lastEventId;
    const envelope = parseEnvelope(event.data, report);
    if (!envelope) return;
    if (event.type === 'message') {
      deliveries.message(envelope);
    } else if (event.type === 'subscribed') {
      deliveries.subscribed(envelope);
      if (typeof envelope.topic === 'string') answer(envelope.topic, true);
    } else if (event.type === 'error' && typeof envelope.code === 'string') {
      report(new RealtimeError(envelope.code, envelope.message ?? envelope.code));
      if (typeof envelope.topic === 'string') answer(envelope.topic, false);
    } else if (event.type === 'close') {
      // The server ends the stream (shutdown, a revoked token): its close code decides, as on WebSocket.
      const code = typeof envelope.code === 'number' ? envelope.code : 1000;
      request?.cancel();
      ended({ kind: 'closed', code, reason: envelope.reason ?? 'closed by the server' });
    }
  };

  const ended = (end: StreamEnd): void => {
    const failure = describe(end);
    if (end.kind === 'status' || end.kind === 'network') {
      report(new RealtimeError(failure.code, failure.reason, { retryAfter: failure.retryAfter }));
    }
    const advice = adviceFor(end);
    if (advice === 'stop') stop(failure);
    else if (advice === 'refresh-token') refresh(failure);
    else retry(failure);
  };

  /** One immediate attempt with a fresh token; a second refusal in a row, or a fixed token, stops. */
  const refresh = (failure: Failure): void => {
    if (hasRefreshedToken || typeof options.token !== 'function') {
      stop(failure);
      return;
    }
    hasRefreshedToken = true;
    request = undefined;
    setState('reconnecting', failure);
    void connect();
  };

  const connect = async (): Promise<void> => {
    const attempt = ++generation;
    let token: string | undefined;
    try {
      // A provider that never answers counts as a failed attempt after idleTimeout, not a stall.
      token =
        typeof options.token === 'function'
          ? await within(options.token(), options.idleTimeout ?? 60_000)
          : options.token;
    } catch (error) {
      if (attempt !== generation) return;
      report(new RealtimeError(ErrorCode.UNAUTHORIZED, 'the token provider failed', { cause: error }));
      retry({ code: ErrorCode.UNAUTHORIZED, reason: 'token provider failed' });
      return;
    }
    if (attempt !== generation) return;
    const params = topics.map((topic) => `topic=${encodeURIComponent(topic)}`);
    if (token) params.push(`access_token=${encodeURIComponent(token)}`);
    // A query parameter rather than the Last-Event-ID header: no CORS preflight; the server reads both.
    if (lastEventId) params.push(`lastEventId=${encodeURIComponent(lastEventId)}`);
    answered = new Set();
    isConfirmed = true;
    request = openSseRequest(
      fetch,
      `${url}${url.includes('?') ? '&' : '?'}${params.join('&')}`,
      {
        headers: { accept: 'text/event-stream' },
        withCredentials: options.withCredentials ?? false,
        idleTimeout: options.idleTimeout ?? 60_000,
      },
      {
        onOpen: noop,
        onEvent: receive,
        onRetry: (ms) => {
          serverRetry = ms;
        },
        onEnd: ended,
      },
    );
  };

  void connect();
  return {
    topics,
    get state() {
      return state;
    },
    close: () => {
      if (state !== 'closed') stop({ code: ErrorCode.DISCONNECTED, reason: 'client closed' });
    },
  };
}
