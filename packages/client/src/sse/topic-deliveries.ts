import { createTopicRegistry, parseOffset, RealtimeError, type TopicMap } from '@oxidite/protocol';
import { type Deliver, DeliveryQueue } from '../subscriptions/delivery-queue';
import { StreamPosition } from '../subscriptions/stream-position';
import type { MessageMeta } from '../subscriptions/types';
import type { EventStreamOptions } from './event-stream-types';

/** The JSON of an SSE event, as far as the client reads it; every field is checked before use. */
export interface SseEnvelope {
  readonly topic?: string | undefined;
  readonly offset?: string | undefined;
  readonly data?: unknown | undefined;
  readonly ts?: number | undefined;
  readonly recovered?: boolean | undefined;
  readonly code?: string | number | undefined;
  readonly message?: string | undefined;
  readonly reason?: string | undefined;
}

/** Parses an event's data; undefined (and reported) when it is not a JSON object. */
export function parseEnvelope(data: string, report: (error: RealtimeError) => void): SseEnvelope | undefined {
  try {
    const value: unknown = JSON.parse(data);
    if (typeof value === 'object' && value !== null) return value as SseEnvelope;
  } catch {
    // reported below
  }
  report(new RealtimeError('malformed', 'SSE event is not a JSON object'));
  return undefined;
}

/**
 * Delivers the stream's messages to the handlers of their topics: validated, each once and in
 * order across reconnects (anything at or before the last offset seen is dropped), and tells
 * the application when a topic's history could not be resumed.
 */
export function createTopicDeliveries<T extends TopicMap>(
  options: EventStreamOptions<T>,
  report: (error: RealtimeError) => void,
): { message(envelope: SseEnvelope): void; subscribed(envelope: SseEnvelope): void } {
  const registry = createTopicRegistry(options.topics);
  const streams = new Map<string, { readonly position: StreamPosition; readonly deliveries: DeliveryQueue }>();
  const streamOf = (topic: string) => {
    const known = streams.get(topic);
    if (known) return known;
    const stream = { position: new StreamPosition(), deliveries: new DeliveryQueue() };
    streams.set(topic, stream);
    return stream;
  };
  const handlers = options.handlers as Record<string, ((data: unknown, meta: MessageMeta) => void) | undefined>;
  const deliver = (topic: string, value: unknown, meta: MessageMeta): void => {
    try {
      handlers[topic]?.(value, meta);
    } catch (error) {
      report(new RealtimeError('internal', `the handler of ${topic} threw`, { cause: error }));
    }
  };
  const onResult: Deliver<MessageMeta> = (result, meta) => {
    if (result.ok) deliver(meta.topic, result.value, meta);
    else report(new RealtimeError('invalid', `invalid payload on ${meta.topic} at ${meta.offset}: ${result.message}`));
  };
  return {
    message(envelope) {
      const { topic } = envelope;
      if (typeof topic !== 'string' || typeof envelope.offset !== 'string') return;
      if (!parseOffset(envelope.offset)) return report(new RealtimeError('invalid', `bad offset on ${topic}`));
      const { position, deliveries } = streamOf(topic);
      if (!position.advance(envelope.offset)) return; // already seen
      const meta: MessageMeta = { topic, offset: envelope.offset, ts: envelope.ts ?? 0 };
      const schema = options.validate === false ? undefined : registry.resolve(topic)?.schema;
      deliveries.push(schema, envelope.data, meta, onResult);
    },
    subscribed(envelope) {
      const { topic } = envelope;
      if (typeof topic !== 'string' || typeof envelope.offset !== 'string') return;
      const { position } = streamOf(topic);
      if (envelope.recovered === false) {
        position.reset(envelope.offset);
        options.onReset?.(topic);
      } else if (position.text === undefined) {
        position.adopt(envelope.offset);
      }
      options.onSubscribed?.(topic, envelope.recovered !== false);
    },
  };
}
