import { ErrorCode, formatOffset, isNotificationId, type TopicMap, type TopicRegistry } from '@oxidite/protocol';
import type { AnalyticsService, Broker, NotificationService, RealtimeServer, StreamMessage } from '@oxidite/server';
import * as z from 'zod';
import { HttpError } from './http-error';
import { parseBody } from './parse-body';
import { publishMessage, publishRequestOf } from './publish';
import { booleanParam, intParam } from './query-params';
import { checkTopicName } from './topic-name';
import type { Route } from './route';
import type { UserDisconnect } from '../cluster/user-disconnect';

/** What the API routes act on. */
export interface ApiServices {
  readonly rt: RealtimeServer<TopicMap>;
  readonly registry: TopicRegistry;
  readonly broker: Broker;
  readonly notifications: NotificationService;
  readonly analytics: AnalyticsService;
  readonly users: UserDisconnect;
}

const BroadcastBodySchema = z.strictObject({ data: z.unknown() });
const NotificationBodySchema = z.strictObject({
  title: z.string(),
  body: z.string(),
  category: z.string(),
  data: z.unknown().optional(),
});
const UserSchema = z.string().min(1).max(256);
const DisconnectBodySchema = z.strictObject({
  /** true: close with 4401, so the client comes back if it still gets a token; else 4403 (it stops). */
  reconnect: z.boolean().default(false),
  reason: z.string().max(123).optional(),
});

function topicOf(query: URLSearchParams, registry: TopicRegistry): string {
  const topic = query.get('topic');
  if (!topic) throw new HttpError(ErrorCode.INVALID, 'topic: required');
  checkTopicName(topic);
  if (!registry.resolve(topic)) throw new HttpError(ErrorCode.UNKNOWN_TOPIC, `unknown topic: ${topic}`);
  return topic;
}

/** `before`: the `next` of a previous page (a store would throw on anything else: a 500). */
function beforeOf(query: URLSearchParams): { before?: string } {
  const before = query.get('before');
  if (before === null) return {};
  if (!isNotificationId(before)) throw new HttpError(ErrorCode.INVALID, 'before: the next of a previous page');
  return { before };
}

function userOf(params: Readonly<Record<string, string>>): string {
  return parseBody(UserSchema, params['user']);
}

/** A history message as JSON: the payload parsed back, or base64 for binary payloads. */
function messageJson(message: StreamMessage): Record<string, unknown> {
  const offset = formatOffset(message.offset);
  if (message.payload.json !== undefined) return { offset, ts: message.ts, data: JSON.parse(message.payload.json) };
  return { offset, ts: message.ts, bytes: Buffer.from(message.payload.bytes).toString('base64') };
}

/** Every route of the HTTP API; the OpenAPI document describes exactly these (a test checks it). */
export function apiRoutes(services: ApiServices): Route[] {
  const { rt, registry, broker, notifications, analytics, users } = services;
  return [
    {
      method: 'POST',
      path: '/api/publish',
      scope: 'publish',
      async handle({ req, body }) {
        const results = await publishMessage(rt, registry, publishRequestOf(req, await body()));
        return { status: 200, body: { results } };
      },
    },
    {
      method: 'POST',
      path: '/api/broadcast',
      scope: 'publish',
      async handle({ body }) {
        const { data } = parseBody(BroadcastBodySchema, await body());
        if (data === undefined) throw new HttpError(ErrorCode.INVALID, 'data: required');
        return { status: 200, body: rt.broadcast(data) };
      },
    },
    {
      method: 'GET',
      path: '/api/presence',
      scope: 'presence',
      query: ['topic'],
      async handle({ query }) {
        const topic = topicOf(query, registry);
        return { status: 200, body: { topic, members: await broker.members(topic) } };
      },
    },
    {
      method: 'GET',
      path: '/api/history',
      scope: 'history',
      query: ['topic', 'limit'],
      async handle({ query }) {
        const topic = topicOf(query, registry);
        const limit = intParam(query, 'limit', { min: 1, max: 1_000, fallback: 100 });
        const history = await broker.history(topic, undefined, limit);
        return {
          status: 200,
          body: { topic, position: formatOffset(history.position), messages: history.messages.map(messageJson) },
        };
      },
    },
    {
      method: 'POST',
      path: '/api/users/{user}/notifications',
      scope: 'publish',
      async handle({ params, body }) {
        const input = parseBody(NotificationBodySchema, await body());
        return { status: 201, body: await notifications.send(userOf(params), input) };
      },
    },
    {
      method: 'GET',
      path: '/api/users/{user}/notifications',
      scope: 'history',
      query: ['unreadOnly', 'limit', 'before'],
      async handle({ params, query }) {
        const input = {
          unreadOnly: booleanParam(query, 'unreadOnly', false),
          limit: intParam(query, 'limit', { min: 1, max: 100, fallback: 20 }),
          ...beforeOf(query),
        };
        return { status: 200, body: await notifications.list(userOf(params), input) };
      },
    },
    {
      method: 'POST',
      path: '/api/users/{user}/disconnect',
      scope: 'admin',
      async handle({ params, body }) {
        const user = userOf(params);
        const { reconnect, reason } = parseBody(DisconnectBodySchema, await body());
        await users.disconnect(user, { code: reconnect ? 4401 : 4403, ...(reason === undefined ? {} : { reason }) });
        return { status: 202, body: { user, code: reconnect ? 4401 : 4403 } };
      },
    },
    {
      method: 'POST',
      path: '/api/analytics/events',
      scope: 'publish',
      async handle({ body }) {
        return { status: 202, body: { accepted: analytics.ingest(await body()) } };
      },
    },
    {
      method: 'GET',
      path: '/api/analytics/metrics',
      scope: 'admin',
      async handle() {
        return { status: 200, body: await analytics.metrics() };
      },
    },
  ];
}
