import { STATUS_OF_CODE } from './http-error';

/**
 * The schemas of the hub's OpenAPI document (`components.schemas`): every body the API answers,
 * so a generated client gets real types. test/openapi-bodies.test.ts validates real answers
 * against them.
 */

const nonNegativeInteger = { type: 'integer', minimum: 0 } as const;
/** An offset as the protocol prints it: `<epoch>:<sequence>`. */
const offset = { type: 'string', description: 'A stream position, `<epoch>:<sequence>`' } as const;
const closed = (required: readonly string[], properties: Record<string, object>) => ({
  type: 'object',
  required,
  properties,
  additionalProperties: false,
});

export const SCHEMAS = {
  Error: closed(['error'], {
    error: closed(['code', 'message'], {
      code: { type: 'string', enum: Object.keys(STATUS_OF_CODE) },
      message: { type: 'string' },
      retryAfter: { type: 'integer', minimum: 0, description: 'with 429: when to try again, in ms' },
    }),
  }),
  PublishResults: closed(['results'], {
    results: {
      type: 'array',
      minItems: 1,
      items: closed(['topic', 'offset', 'duplicate'], {
        topic: { type: 'string' },
        offset,
        duplicate: {
          type: 'boolean',
          description: 'true when the idempotency key was seen within the dedupe window: nothing was published',
        },
      }),
    },
  }),
  BroadcastResult: closed(['sent', 'failed'], {
    sent: { ...nonNegativeInteger, description: 'Connections of the receiving node it was written to' },
    failed: { ...nonNegativeInteger, description: 'Connections of the receiving node it could not be queued on' },
  }),
  Member: closed(['client'], {
    client: { type: 'string', maxLength: 64, description: 'The session id of the member’s first connection' },
    user: { type: 'string', maxLength: 256 },
    info: { description: 'Public info the server chose to share' },
  }),
  Presence: closed(['topic', 'members'], {
    topic: { type: 'string' },
    members: { type: 'array', items: { $ref: '#/components/schemas/Member' } },
  }),
  HistoryMessage: {
    ...closed(['offset', 'ts'], {
      offset,
      ts: { ...nonNegativeInteger, description: 'Publish time, ms since the epoch' },
      data: { description: 'The JSON payload' },
      bytes: { type: 'string', contentEncoding: 'base64', description: 'A binary payload, base64' },
    }),
    oneOf: [{ required: ['data'] }, { required: ['bytes'] }],
  },
  History: closed(['topic', 'position', 'messages'], {
    topic: { type: 'string' },
    position: { ...offset, description: 'The topic’s latest offset: pass it as `since` to continue from here' },
    messages: { type: 'array', items: { $ref: '#/components/schemas/HistoryMessage' } },
  }),
  Notification: closed(['id', 'userId', 'title', 'body', 'category', 'createdAt', 'read'], {
    id: { type: 'string', description: 'A UUIDv7, lowercase hex: sorts by creation time' },
    userId: { type: 'string' },
    title: { type: 'string' },
    body: { type: 'string' },
    category: { type: 'string' },
    data: { description: 'Application data; absent when none was given' },
    createdAt: { ...nonNegativeInteger, description: 'ms since the epoch' },
    read: { type: 'boolean' },
  }),
  NotificationPage: closed(['items'], {
    items: { type: 'array', items: { $ref: '#/components/schemas/Notification' } },
    next: { type: 'string', description: 'Pass as `before` for the next (older) page; absent on the last page' },
  }),
  Disconnect: closed(['user', 'code'], {
    user: { type: 'string' },
    code: { type: 'integer', enum: [4401, 4403], description: '4401: the client may come back; 4403: it stops' },
  }),
  Accepted: closed(['accepted'], { accepted: { ...nonNegativeInteger, description: 'Events taken' } }),
  MetricsSnapshot: closed(
    ['at', 'pageViews', 'uniqueVisitors', 'activeUsers', 'activeWindowMs', 'eventCounts', 'perMinute'],
    {
      at: nonNegativeInteger,
      pageViews: nonNegativeInteger,
      uniqueVisitors: nonNegativeInteger,
      activeUsers: nonNegativeInteger,
      activeWindowMs: { type: 'integer', minimum: 1 },
      eventCounts: { type: 'object', additionalProperties: nonNegativeInteger },
      perMinute: {
        type: 'array',
        items: closed(['minute', 'count'], { minute: nonNegativeInteger, count: nonNegativeInteger }),
      },
    },
  ),
  Health: closed(['status'], { status: { const: 'ok' } }),
  Readiness: closed(['status'], { status: { enum: ['ready', 'stopping'] } }),
} as const;
