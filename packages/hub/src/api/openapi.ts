import { SCHEMAS } from './openapi-schemas';
import { idempotencyKey, inboxUserPath, intQuery, topicName, topicQuery, userPath } from './openapi-parameters';

/**
 * The OpenAPI 3.1 document of the hub, served at `/openapi.json`. Written by hand beside the
 * routes; test/openapi.test.ts checks that it names exactly the routes the hub answers, with the
 * scopes they require and statuses they return.
 */

const ref = (name: keyof typeof SCHEMAS) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object) => ({ content: { 'application/json': { schema } } });
const header = (description: string, schema: object) => ({ description, schema });
/** Headers some error answers carry. */
const ERROR_HEADERS: Record<number, Record<string, object>> = {
  413: {
    Connection: header('`close`: the hub closes once the rest of the body arrived (at most 2 s later)', {
      const: 'close',
    }),
  },
  429: { 'Retry-After': header('Seconds until a refused address may try again', { type: 'integer', minimum: 1 }) },
};
/** Error answers of a secured route: always 429 too (refused keys are rate limited per address). */
const errors = (...statuses: number[]) =>
  Object.fromEntries(
    [...new Set([...statuses, 429])].map((s) => [
      String(s),
      {
        description: ERROR_TEXT[s] ?? 'error',
        ...(ERROR_HEADERS[s] ? { headers: ERROR_HEADERS[s] } : {}),
        ...json(ref('Error')),
      },
    ]),
  );
const ERROR_TEXT: Record<number, string> = {
  400: 'invalid (bad field or payload) or malformed (not JSON)',
  401: 'unauthorized: missing or unknown API key',
  403: 'forbidden: the key lacks the scope, or a publish names a topic its store writes (notifications:{user}, analytics:metrics)',
  404: 'unknown_topic',
  413: 'too_large: body over maxBodyBytes',
  415: 'unsupported_media_type: not application/json',
  429: 'rate_limited: too many refused API keys from this address, or analytics ingestion is full (retryAfter in ms, Retry-After in s)',
  500: 'internal',
};
const secured = (scope: string) => ({ security: [{ apiKey: [scope] }, { bearer: [scope] }], 'x-scope': scope });
const ok = (description: string, schema: object) => ({ description, ...json(schema) });

const DESCRIPTION = [
  'Every error answer is `{ "error": { "code", "message" } }` (schema `Error`).',
  'A documented path called with a method it does not list answers 405 with an `Allow` header;',
  'an unknown `/api/` path answers 404 `not_found`. HEAD is answered wherever GET is.',
  'A query parameter an operation does not list, one given twice, or a value out of its schema',
  'answers 400 `invalid` naming the parameter.',
].join(' ');

/** Builds the document (a fresh object each call). */
export function openApiDocument(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: { title: 'Oxidite Hub HTTP API', version: '0.1.0', description: DESCRIPTION },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'An API key as a bearer token' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
      },
      schemas: SCHEMAS,
      responses: {
        MethodNotAllowed: {
          description: 'The path exists but not with this method',
          headers: { Allow: header('The methods the path answers', { type: 'string' }) },
          ...json(ref('Error')),
        },
      },
    },
    paths: {
      '/api/publish': {
        post: {
          summary: 'Publish one payload to one topic or many (validated against each topic before any is published)',
          ...secured('publish'),
          parameters: [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              schema: idempotencyKey,
            },
          ],
          requestBody: {
            required: true,
            ...json({
              type: 'object',
              required: ['data'],
              properties: {
                topic: topicName,
                topics: { type: 'array', items: topicName, minItems: 1, maxItems: 100 },
                data: { description: 'The payload, validated against each topic’s schema' },
                idempotencyKey: { ...idempotencyKey, description: 'Must equal the Idempotency-Key header if both' },
              },
              additionalProperties: false,
              oneOf: [{ required: ['topic'] }, { required: ['topics'] }],
            }),
          },
          responses: { '200': ok('published', ref('PublishResults')), ...errors(400, 401, 403, 404, 413, 415, 500) },
        },
      },
      '/api/broadcast': {
        post: {
          summary: 'Send a broadcast envelope to every connection of this node',
          ...secured('publish'),
          requestBody: {
            required: true,
            ...json({ type: 'object', required: ['data'], properties: { data: {} }, additionalProperties: false }),
          },
          responses: {
            '200': ok('Counts on the node that took the request', ref('BroadcastResult')),
            ...errors(400, 401, 403, 413, 415, 500),
          },
        },
      },
      '/api/presence': {
        get: {
          summary: 'Members of a topic, across nodes',
          ...secured('presence'),
          parameters: [topicQuery],
          responses: { '200': ok('The members', ref('Presence')), ...errors(400, 401, 403, 404, 500) },
        },
      },
      '/api/history': {
        get: {
          summary: 'The last messages of a topic',
          ...secured('history'),
          parameters: [topicQuery, intQuery('limit', 1000, 100)],
          responses: { '200': ok('Oldest first', ref('History')), ...errors(400, 401, 403, 404, 500) },
        },
      },
      '/api/users/{user}/notifications': {
        post: {
          summary: "Send a notification to a user's inbox (stored, then delivered live)",
          ...secured('publish'),
          parameters: [inboxUserPath],
          requestBody: {
            required: true,
            ...json({
              type: 'object',
              required: ['title', 'body', 'category'],
              additionalProperties: false,
              properties: {
                title: { type: 'string' },
                body: { type: 'string' },
                category: { type: 'string' },
                data: {},
              },
            }),
          },
          responses: {
            '201': ok('The stored notification', ref('Notification')),
            ...errors(400, 401, 403, 413, 415, 500),
          },
        },
        get: {
          summary: "A page of a user's notifications, newest first",
          ...secured('history'),
          parameters: [
            inboxUserPath,
            {
              name: 'unreadOnly',
              in: 'query',
              description: '`true` or `false` (not 1/0)',
              schema: { type: 'boolean' },
            },
            intQuery('limit', 100, 20),
            {
              name: 'before',
              in: 'query',
              description: 'The `next` of a previous page',
              schema: { type: 'string', minLength: 1 },
            },
          ],
          responses: { '200': ok('Newest first', ref('NotificationPage')), ...errors(400, 401, 403, 500) },
        },
      },
      '/api/users/{user}/disconnect': {
        post: {
          summary: 'Close every connection of a user, on every node (4403: the client stops; reconnect: 4401)',
          ...secured('admin'),
          parameters: [userPath],
          requestBody: {
            required: true,
            ...json({
              type: 'object',
              additionalProperties: false,
              properties: {
                reconnect: { type: 'boolean', default: false },
                reason: { type: 'string', maxLength: 123 },
              },
            }),
          },
          responses: {
            '202': ok('Announced to every node', ref('Disconnect')),
            ...errors(400, 401, 403, 413, 415, 500),
          },
        },
      },
      '/api/analytics/events': {
        post: {
          summary: 'Track analytics events (one, or { events: [...] })',
          ...secured('publish'),
          requestBody: { required: true, ...json({ type: 'object' }) },
          responses: { '202': ok('Taken for counting', ref('Accepted')), ...errors(400, 401, 403, 413, 415, 429, 500) },
        },
      },
      '/api/analytics/metrics': {
        get: {
          summary: 'The live analytics snapshot',
          ...secured('admin'),
          responses: { '200': ok('The live snapshot', ref('MetricsSnapshot')), ...errors(401, 403, 500) },
        },
      },
      '/healthz': { get: { summary: 'Liveness', responses: { '200': ok('Alive', ref('Health')) } } },
      '/readyz': {
        get: {
          summary: 'Readiness (503 while stopping)',
          responses: { '200': ok('Ready', ref('Readiness')), '503': ok('Stopping', ref('Readiness')) },
        },
      },
      '/metrics': {
        get: {
          summary: 'Prometheus exposition',
          responses: {
            '200': {
              description: 'text/plain; version=0.0.4',
              content: { 'text/plain': { schema: { type: 'string' } } },
            },
          },
        },
      },
      '/openapi.json': {
        get: {
          summary: 'This document',
          responses: { '200': ok('OpenAPI 3.1', { type: 'object', required: ['openapi', 'paths'] }) },
        },
      },
    },
  };
}
