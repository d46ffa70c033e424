import {
  compareOffsets,
  parseOffset,
  RealtimeError,
  type PayloadOf,
  type StreamOffset,
  type TopicMap,
  type TopicName,
  createTopicRegistry,
  validateWith,
} from '@oxidite/protocol';
import type { MessageMeta } from '../subscriptions/types';
import type { EventSourceConstructor, EventSourceLike } from './event-source-like';

/** Handlers by concrete topic name; the stream subscribes to exactly these topics. */
export type TopicHandlers<T extends TopicMap> = {
  [K in TopicName<T>]?: (data: PayloadOf<T, K>, meta: MessageMeta) => void;
};

/** Options of {@link createEventStream}. */
export interface EventStreamOptions<T extends TopicMap> {
  /** The topic map shared with the server. */
  readonly topics: T;
  /** One handler per topic to receive; the keys are the topics of the stream. */
  readonly handlers: TopicHandlers<T>;
  /** A topic's subscription is live (again, after each reconnect); `recovered` is false after a lost gap. */
  readonly onSubscribed?: (topic: string, recovered: boolean) => void;
  /** The history of `topic` could not be resumed: reload its state. */
  readonly onReset?: (topic: string) => void;
  /** Errors: refused subscriptions, invalid payloads, connection errors (the stream retries by itself). */
  readonly onError?: (error: RealtimeError) => void;
  /** Token appended as `access_token` (EventSource cannot send headers). @default none */
  readonly token?: string;
  /** Send cookies cross-origin. @default false */
  readonly withCredentials?: boolean;
  /** Validate payloads with the topic schemas. @default true */
  readonly validate?: boolean;
  /** The EventSource implementation: `globalThis.EventSource`, or `EventSource` from 'eventsource' on Node. */
  readonly EventSource?: EventSourceConstructor;
}

/** A live SSE subscription to a fixed set of topics. */
export interface EventStreamClient {
  /** The topics of the stream, in URL order. */
  readonly topics: readonly string[];
  /** Stops the stream for good. */
  close(): void;
}

interface Envelope {
  type?: string;
  topic?: string;
  offset?: string;
  data?: unknown;
  ts?: number;
  recovered?: boolean;
  code?: string;
  message?: string;
}

/**
 * A typed Server-Sent Events client. The browser's `EventSource` reconnects by itself and sends
 * `Last-Event-ID`, from which the server resumes every topic; this client validates payloads,
 * drops anything already seen, and reports a lost gap through `onReset`.
 *
 * @example
 * const stream = createEventStream('https://example.com/events', {
 *   topics,
 *   handlers: { 'analytics:metrics': (snapshot) => render(snapshot) },
 * });
 */
export function createEventStream<const T extends TopicMap>(
  url: string,
  options: EventStreamOptions<T>,
): EventStreamClient {
  const Source = options.EventSource ?? (globalThis as { EventSource?: EventSourceConstructor }).EventSource;
  if (!Source) {
    throw new RealtimeError(
      'invalid',
      'No EventSource implementation: pass { EventSource } from the eventsource package on Node',
    );
  }
  const topics = Object.keys(options.handlers);
  const registry = createTopicRegistry(options.topics);
  const seen = new Map<string, StreamOffset>();
  const report = (code: string, message: string): void => options.onError?.(new RealtimeError(code, message));
  const handlers = options.handlers as Record<string, ((data: unknown, meta: MessageMeta) => void) | undefined>;

  const params = topics.map((topic) => `topic=${encodeURIComponent(topic)}`);
  if (options.token) params.push(`access_token=${encodeURIComponent(options.token)}`);
  const source: EventSourceLike = new Source(`${url}${url.includes('?') ? '&' : '?'}${params.join('&')}`, {
    withCredentials: options.withCredentials ?? false,
  });

  const parse = (data: string | undefined): Envelope | undefined => {
    try {
      const value: unknown = JSON.parse(data ?? '');
      return typeof value === 'object' && value !== null ? (value as Envelope) : undefined;
    } catch {
      report('malformed', 'SSE event is not JSON');
      return undefined;
    }
  };

  const deliver = (topic: string, value: unknown, meta: MessageMeta): void => {
    handlers[topic]?.(value, meta);
  };

  source.addEventListener('message', (event) => {
    const envelope = parse(event.data);
    if (!envelope?.topic || !envelope.offset) return;
    const { topic } = envelope;
    const offset = parseOffset(envelope.offset);
    if (!offset) return report('invalid', `bad offset on ${topic}`);
    const last = seen.get(topic);
    if (last && compareOffsets(offset, last) !== 1 && last.epoch === offset.epoch) return; // already seen
    seen.set(topic, offset);
    const meta: MessageMeta = { topic, offset: envelope.offset, ts: envelope.ts ?? 0 };
    const resolved = registry.resolve(topic);
    if (!resolved || options.validate === false) return deliver(topic, envelope.data, meta);
    const result = validateWith(resolved.schema, envelope.data);
    const settle = (r: Awaited<typeof result>): void => {
      if (r.ok) deliver(topic, r.value, meta);
      else report('invalid', `invalid payload on ${topic}: ${r.message}`);
    };
    if (result instanceof Promise) result.then(settle);
    else settle(result);
  });

  source.addEventListener('subscribed', (event) => {
    const envelope = parse(event.data);
    if (!envelope?.topic || !envelope.offset) return;
    const offset = parseOffset(envelope.offset);
    if (envelope.recovered === false) {
      if (offset) seen.set(envelope.topic, offset);
      options.onReset?.(envelope.topic);
    } else if (offset && !seen.has(envelope.topic)) {
      seen.set(envelope.topic, offset);
    }
    options.onSubscribed?.(envelope.topic, envelope.recovered !== false);
  });

  source.addEventListener('error', (event) => {
    // The same event name carries the server's `error` envelopes and EventSource's own connection
    // errors (no data; it reconnects by itself): only the former are reported.
    if (typeof event.data !== 'string' || event.data.length === 0) return;
    const envelope = parse(event.data);
    if (envelope?.code) report(envelope.code, envelope.message ?? envelope.code);
  });

  return {
    topics,
    close: () => source.close(),
  };
}
