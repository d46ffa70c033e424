import type { IncomingMessage } from 'node:http';
import { ErrorCode, type TopicMap, type TopicRegistry, validateWith } from '@oxidite/protocol';
import type { RealtimeServer } from '@oxidite/server';
import * as z from 'zod';
import { HttpError } from './http-error';
import { parseBody } from './parse-body';
import { checkTopicName } from './topic-name';

/** Idempotency keys: 1–128 visible ASCII characters, the same rule for the header and the field. */
export const IdempotencyKeySchema = z.string().regex(/^[\x21-\x7e]{1,128}$/, '1–128 visible ASCII characters');

/** `POST /api/publish`: one topic (`topic`) or many (`topics`), one payload, an optional idempotency key. */
export const PublishBodySchema = z
  .strictObject({
    topic: z.string().min(1).optional(),
    topics: z
      .array(z.string().min(1))
      .min(1)
      .max(100)
      .refine((topics) => new Set(topics).size === topics.length, 'each topic at most once')
      .optional(),
    data: z.unknown(),
    idempotencyKey: IdempotencyKeySchema.optional(),
  })
  .refine((body) => (body.topic === undefined) !== (body.topics === undefined), {
    message: 'exactly one of topic, topics',
  })
  .refine((body) => body.data !== undefined, { message: 'data is required', path: ['data'] });

/** One published topic, its message's offset, and whether this was a repeat of a keyed publish. */
export interface PublishResult {
  readonly topic: string;
  readonly offset: string;
  /** A publish with the same idempotency key was made within the dedupe window: nothing new was published. */
  readonly duplicate: boolean;
}

/** A validated publish request. */
export interface PublishRequest {
  readonly topics: readonly string[];
  readonly data: unknown;
  readonly idempotencyKey: string | undefined;
}

/** Reads a publish request from a body and the `Idempotency-Key` header; both keys must agree. */
export function publishRequestOf(req: IncomingMessage, body: unknown): PublishRequest {
  const parsed = parseBody(PublishBodySchema, body);
  const header = req.headers['idempotency-key'];
  let key = parsed.idempotencyKey;
  if (typeof header === 'string') {
    const checked = IdempotencyKeySchema.safeParse(header);
    if (!checked.success) throw new HttpError(ErrorCode.INVALID, 'Idempotency-Key: 1–128 visible ASCII characters');
    if (key !== undefined && key !== header) {
      throw new HttpError(ErrorCode.INVALID, 'idempotencyKey and the Idempotency-Key header differ');
    }
    key = header;
  }
  return { topics: parsed.topics ?? [parsed.topic as string], data: parsed.data, idempotencyKey: key };
}

/**
 * Every publish of the hub goes through here (single, many topics). All topics are checked and the
 * payload validated against each before the first is published, so a bad topic publishes nothing.
 *
 * The idempotency key goes to `rt.publish`, whose broker keeps the dedupe window (per topic, also
 * across nodes on Redis): a retried request publishes nothing new and answers the first offsets.
 */
/**
 * Topics whose messages a store makes: an inbox event the notification store never saw, or a
 * metrics snapshot analytics never computed, would leave every client's view inconsistent.
 */
const STORE_TOPICS: Readonly<Record<string, string>> = {
  'notifications:{user}': 'use POST /api/users/{user}/notifications',
  'analytics:metrics': 'send events to POST /api/analytics/events',
};

export async function publishMessage(
  rt: Pick<RealtimeServer<TopicMap>, 'publish'>,
  registry: TopicRegistry,
  request: PublishRequest,
): Promise<PublishResult[]> {
  for (const topic of request.topics) {
    checkTopicName(topic);
    const resolved = registry.resolve(topic);
    if (!resolved) throw new HttpError(ErrorCode.UNKNOWN_TOPIC, `unknown topic: ${topic}`);
    const instead = STORE_TOPICS[resolved.pattern];
    if (instead) throw new HttpError(ErrorCode.FORBIDDEN, `${topic} is written by its store: ${instead}`);
    const result = await validateWith(resolved.schema, request.data);
    if (!result.ok) throw new HttpError(ErrorCode.INVALID, `invalid payload for ${topic}: ${result.message}`);
  }
  const results: PublishResult[] = [];
  for (const topic of request.topics) {
    const key = request.idempotencyKey;
    const { offset, isDuplicate } = await rt.publish(
      topic,
      request.data,
      key === undefined ? {} : { idempotencyKey: key },
    );
    results.push({ topic, offset, duplicate: isDuplicate });
  }
  return results;
}
