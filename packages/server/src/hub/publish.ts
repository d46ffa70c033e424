import {
  CloseCode,
  ErrorCode,
  formatOffset,
  RealtimeError,
  validateWith,
  type ResolvedTopic,
  type TopicRegistry,
} from '@oxidite/protocol';
import type { Broker, Payload, StreamMessage } from '../pubsub';
import { checkTopic } from './authorize-topic';
import type { Connection } from './connection';
import type { HubContext } from './hub-context';
import { retentionOf } from './retention';

/** A publish request from a client, text or binary. */
export interface ClientPublish {
  readonly id?: number | undefined;
  readonly topic: string;
  readonly data: unknown;
}

/** Validates a payload against its topic's schema and serializes it, once. */
export async function preparePayload(resolved: ResolvedTopic, data: unknown): Promise<Payload> {
  const result = await validateWith(resolved.schema, data);
  if (!result.ok) throw new RealtimeError(ErrorCode.INVALID, `invalid payload: ${result.message}`);
  const value = result.value;
  // A copy of exactly the payload: a decoded binary frame is a view into the socket's whole read
  // chunk, and history would keep that chunk alive for the topic's retention (issue #25).
  if (value instanceof Uint8Array) return { bytes: new Uint8Array(value) };
  const json = JSON.stringify(value);
  if (json === undefined) throw new RealtimeError(ErrorCode.INVALID, 'payload is not JSON-serializable');
  return { json };
}

/** Server-side publish (`rt.publish`): typed by the topic map, validated like a client's. */
export async function publishFromServer(
  topics: TopicRegistry,
  broker: Broker,
  topic: string,
  data: unknown,
): Promise<StreamMessage> {
  const resolved = topics.resolve(topic);
  if (!resolved) throw new RealtimeError(ErrorCode.UNKNOWN_TOPIC, `unknown topic: ${topic}`);
  const payload = await preparePayload(resolved, data);
  return broker.publish(topic, payload, retentionOf(resolved));
}

/** Handles a client `publish`: authorize, validate, filter, publish, ack. */
export async function publishFromClient(
  context: HubContext,
  connection: Connection,
  request: ClientPublish,
): Promise<void> {
  const { id, topic } = request;
  const check = await checkTopic(context, connection, topic, 'publish');
  if (!check.ok) return connection.error(id, check.code, check.message, { topic });
  if (context.rateLimits.publishesPerUser) {
    const key = `publish:${connection.principal ? `user:${connection.principal.id}` : `addr:${connection.remoteAddress}`}`;
    const decision = await context.rateLimiter.consume(key, context.rateLimits.publishesPerUser);
    if (!decision.allowed) {
      context.stats.rateLimited++;
      if (connection.inbound.refused()) return connection.close(CloseCode.RATE_LIMITED, 'rate limit exceeded');
      return connection.error(id, ErrorCode.RATE_LIMITED, 'too many publishes', {
        retryAfter: decision.retryAfter,
        topic,
      });
    }
  }
  let payload: Payload;
  try {
    payload = await preparePayload(check.resolved, request.data);
  } catch (error) {
    context.stats.invalidFrames++;
    const message = error instanceof RealtimeError ? error.message : 'invalid payload';
    return connection.error(id, ErrorCode.INVALID, message, { topic });
  }
  if (context.filter) {
    const verdict = await context.filter({ topic, data: request.data, connection: connection.info() });
    if (verdict !== true) {
      // Typed `boolean | { reject }`, but a JavaScript filter can return anything: fail closed, and
      // always with a string message (PROTOCOL.md §2.2).
      const reject: unknown = typeof verdict === 'object' && verdict !== null ? verdict.reject : undefined;
      const reason = typeof reject === 'string' ? reject : 'message rejected';
      return connection.error(id, ErrorCode.REJECTED, reason, { topic });
    }
  }
  const message = await context.broker.publish(topic, payload, retentionOf(check.resolved));
  context.stats.published++;
  if (id !== undefined) connection.send({ type: 'ack', id, offset: formatOffset(message.offset) });
}
