import {
  CloseCode,
  ErrorCode,
  formatOffset,
  RealtimeError,
  validateWith,
  type ResolvedTopic,
  type StreamOffset,
  type TopicRegistry,
  type ValidationResult,
} from '@oxidite/protocol';
import type { Broker, Payload, PublishedMessage } from '../pubsub';
import { checkTopic, topicNameProblem } from './authorize-topic';
import type { Connection } from './connection';
import type { HubContext } from './hub-context';
import { retentionOf } from './retention';
import { isDecodable, tooDeep } from './wire-data';

/** A publish request from a client, text or binary. */
export interface ClientPublish {
  readonly id?: number | undefined;
  readonly topic: string;
  readonly data: unknown;
  /** The client's id for this message: a retry with the same id is acked, not published again. */
  readonly messageId?: string | undefined;
  /** The client's W3C trace context (PROTOCOL.md §4.7); read by tracing only. */
  readonly traceparent?: string | undefined;
}

/** Options of a server-side publish (`rt.publish`). */
export interface ServerPublishOptions {
  /**
   * Makes the publish idempotent: a repeat with the same key on the same topic within the
   * broker's dedupe window (default 120 s) resolves with the first publish's offset and publishes
   * nothing. For backends and HTTP APIs that retry. At most 256 characters.
   * @default none: every call publishes
   */
  readonly idempotencyKey?: string | undefined;
}

/** What the server passes along with a server-side publish. */
interface ServerPublishRequest extends ServerPublishOptions {
  /** The `rt.publish` span's trace context, for the broker (when tracing). */
  readonly traceparent?: string | undefined;
}

/** What `rt.publish` resolves with. */
export interface ServerPublishResult {
  /** The message's position in the topic's stream (the first publish's, for a repeated key). */
  readonly offset: string;
  /** True when the `idempotencyKey` was seen within the dedupe window: nothing was published. */
  readonly isDuplicate: boolean;
}

/** Longest accepted `idempotencyKey` of a server-side publish. */
const MAX_IDEMPOTENCY_KEY = 256;

/**
 * The broker keys of the two sources of idempotent publishes, kept apart so that a client can
 * never pre-empt a backend's key (or another user's ids): server keys live in `s:`, client
 * message ids in `c:` scoped by the publishing user (anonymous clients share one scope, where
 * the random ids of the reference client make collisions practically impossible).
 */
function serverKey(key: string): string {
  return `s:${key}`;
}

/** Where a keyed client publish was published already, if its key is in the broker's dedupe window. */
async function firstPublishOf(
  context: HubContext,
  connection: Connection,
  request: ClientPublish,
): Promise<StreamOffset | undefined> {
  const { messageId } = request;
  if (messageId === undefined || !context.broker.firstPublish) return undefined;
  return context.broker.firstPublish(request.topic, clientKey(connection, messageId));
}

function clientKey(connection: Connection, messageId: string): string {
  // A message id has no space (PROTOCOL.md §2.1), so the user id after it cannot blur the two.
  return `c:${messageId} ${connection.principal?.id ?? ''}`;
}

/**
 * Validates a payload against its topic's schema and serializes it, once. Synchronous when the
 * schema is (zod, the validator kit): a publish then spends no microtask on it. Throws (or
 * rejects) a `RealtimeError` for a payload the schema refuses.
 */
export function preparePayload(resolved: ResolvedTopic, data: unknown): Payload | Promise<Payload> {
  const result = validateWith(resolved.schema, data);
  return result instanceof Promise ? result.then(payloadOf) : payloadOf(result);
}

function payloadOf(result: ValidationResult<unknown>): Payload {
  if (!result.ok) throw new RealtimeError(ErrorCode.INVALID, `invalid payload: ${result.message}`);
  const value = result.value;
  // A copy of exactly the payload: a decoded binary frame is a view into the socket's whole read
  // chunk, and history would keep that chunk alive for the topic's retention (issue #25).
  if (value instanceof Uint8Array) return { bytes: new Uint8Array(value) };
  const json = JSON.stringify(value);
  if (json === undefined) throw new RealtimeError(ErrorCode.INVALID, 'payload is not JSON-serializable');
  if (!isDecodable(json, 1)) throw new RealtimeError(ErrorCode.INVALID, tooDeep('payload', 1));
  return { json };
}

/** Server-side publish (`rt.publish`): typed by the topic map, validated like a client's; idempotent with a key. */
export async function publishFromServer(
  topics: TopicRegistry,
  broker: Broker,
  maxTopicLength: number,
  topic: string,
  data: unknown,
  options: ServerPublishRequest = {},
): Promise<PublishedMessage> {
  // A name no client could subscribe to would only fill the broker (a hub API key did: 382 MB).
  const problem = typeof topic === 'string' ? topicNameProblem(topic, maxTopicLength) : 'topic must be a string';
  if (problem) throw new RealtimeError(ErrorCode.INVALID, problem);
  const resolved = topics.resolve(topic);
  if (!resolved) throw new RealtimeError(ErrorCode.UNKNOWN_TOPIC, `unknown topic: ${topic}`);
  const key: unknown = options.idempotencyKey;
  if (key !== undefined && (typeof key !== 'string' || key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY)) {
    throw new RealtimeError(
      ErrorCode.INVALID,
      `idempotencyKey must be a string of 1–${MAX_IDEMPOTENCY_KEY} characters`,
    );
  }
  const payload = await preparePayload(resolved, data);
  return broker.publish(topic, payload, retentionOf(resolved), {
    idempotencyKey: key === undefined ? undefined : serverKey(key),
    traceparent: options.traceparent,
  });
}

/**
 * Handles a client `publish`: authorize, validate, filter, publish, ack. `traceparent` is the
 * server's publish span (never the client's own value), handed to the broker when tracing.
 */
export async function publishFromClient(
  context: HubContext,
  connection: Connection,
  request: ClientPublish,
  traceparent?: string,
): Promise<void> {
  const { id, topic } = request;
  const check = await checkTopic(context, connection, topic, 'publish');
  if (!check.ok) return connection.error(id, check.code, check.message, { topic });
  if (context.rateLimits.publishesPerUser) {
    const key = `publish:${connection.principal ? `user:${connection.principal.id}` : `addr:${connection.remoteAddress}`}`;
    const decision = await context.rateLimiter.consume(key, context.rateLimits.publishesPerUser);
    if (!decision.allowed) {
      // A resend of a message that was published (its ack was lost in a cut) is acknowledged, not
      // refused: refusing it would report a published message as failed (PROTOCOL.md §4.6).
      const first = await firstPublishOf(context, connection, request);
      if (first) {
        if (id !== undefined) connection.send({ type: 'ack', id, offset: formatOffset(first) });
        return;
      }
      context.stats.rateLimited++;
      if (connection.inbound.refused(connection))
        return connection.close(CloseCode.RATE_LIMITED, 'rate limit exceeded');
      return connection.error(id, ErrorCode.RATE_LIMITED, 'too many publishes', {
        retryAfter: decision.retryAfter,
        topic,
      });
    }
  }
  let payload: Payload;
  try {
    const prepared = preparePayload(check.resolved, request.data);
    payload = prepared instanceof Promise ? await prepared : prepared;
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
  const { messageId } = request;
  const message = await context.broker.publish(topic, payload, retentionOf(check.resolved), {
    idempotencyKey: messageId === undefined ? undefined : clientKey(connection, messageId),
    traceparent,
  });
  if (!message.isDuplicate) context.stats.published++;
  if (id !== undefined) connection.send({ type: 'ack', id, offset: formatOffset(message.offset) });
}
