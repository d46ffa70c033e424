import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../src/index';
import { hubClient, KEYS, startTestHub } from './support/test-hub';

/**
 * What a client generated from `/openapi.json` would rely on: every answer the hub gives, success
 * or error, has the status, body schema and headers the document declares for that operation.
 */
type Json = Record<string, unknown>;
const doc = openApiDocument() as { paths: Record<string, Record<string, { responses: Record<string, Json> }>> };
// The document is plain JSON Schema 2020-12 under OpenAPI 3.1, so ajv validates against it as is.
const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addSchema(doc, 'openapi');
const pointer = (...parts: string[]) => parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

/** Asserts `answer` matches what the document says `method path` answers with its status. */
function expectDocumented(method: string, path: string, answer: Answer): void {
  const response = doc.paths[path]?.[method.toLowerCase()]?.responses[String(answer.status)] as
    | { headers?: Record<string, unknown> }
    | undefined;
  expect(response, `${method} ${path} answered ${answer.status}, not documented`).toBeDefined();
  const validate = ajv.getSchema(
    `openapi#/${pointer('paths', path, method.toLowerCase(), 'responses', String(answer.status), 'content', 'application/json', 'schema')}`,
  );
  expect(validate, `${method} ${path} ${answer.status}: no JSON schema`).toBeDefined();
  const valid = validate?.(answer.body);
  expect(
    valid,
    `${method} ${path} ${answer.status}: ${ajv.errorsText(validate?.errors)} in ${JSON.stringify(answer.body)}`,
  ).toBe(true);
  for (const name of Object.keys(response?.headers ?? {})) {
    expect(answer.headers.get(name), `${method} ${path} ${answer.status}: header ${name}`).not.toBeNull();
  }
}

describe('the OpenAPI document describes real answers', () => {
  it('every success body matches its schema', async () => {
    await using t = await startTestHub();
    const call = async (method: string, path: string, url: string, key: keyof typeof KEYS, body?: unknown) => {
      const response = await fetch(`${t.base}${url}`, {
        method,
        headers: {
          authorization: `Bearer ${KEYS[key]}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const answer = { status: response.status, headers: response.headers, body: await response.json() };
      expectDocumented(method, path, answer);
      return answer;
    };
    const client = hubClient(t.wsUrl);
    try {
      await client.subscribe('chat:lobby', () => {}).ready;
      const published = await call('POST', '/api/publish', '/api/publish', 'publish', {
        topics: ['chat:lobby', 'news'],
        data: { text: 'hi' },
        idempotencyKey: 'k-1',
      });
      expect(published.status).toBe(200);
      await call('POST', '/api/publish', '/api/publish', 'publish', { topic: 'news', data: 1, idempotencyKey: 'k-1' });
      await call('POST', '/api/broadcast', '/api/broadcast', 'publish', { data: { notice: 'x' } });
      const presence = await call('GET', '/api/presence', '/api/presence?topic=chat:lobby', 'presence');
      expect(presence.body).toMatchObject({ members: [expect.anything()] });
      const history = await call('GET', '/api/history', '/api/history?topic=chat:lobby', 'history');
      expect(history.body).toMatchObject({ messages: [{ data: { text: 'hi' } }] });
      const inbox = '/api/users/{user}/notifications';
      for (let i = 0; i < 3; i++) {
        await call('POST', inbox, '/api/users/ada/notifications', 'publish', { title: 't', body: 'b', category: 'c' });
      }
      const page = await call('GET', inbox, '/api/users/ada/notifications?limit=2', 'history');
      expect(page.body).toMatchObject({ items: [{}, {}], next: expect.any(String) });
      await call('POST', '/api/users/{user}/disconnect', '/api/users/ada/disconnect', 'admin', { reconnect: true });
      await call('POST', '/api/analytics/events', '/api/analytics/events', 'publish', {
        type: 'page_view',
        sessionId: 's',
      });
      await call('GET', '/api/analytics/metrics', '/api/analytics/metrics', 'admin');
      for (const path of ['/healthz', '/readyz', '/openapi.json']) {
        const response = await fetch(`${t.base}${path}`);
        expectDocumented('GET', path, {
          status: response.status,
          headers: response.headers,
          body: await response.json(),
        });
      }
    } finally {
      client.close();
    }
  });

  it('every error answer matches the Error schema, with its documented headers', async () => {
    await using t = await startTestHub();
    const send = async (method: string, url: string, init: { key?: string; body?: string; type?: string } = {}) => {
      const response = await fetch(`${t.base}${url}`, {
        method,
        headers: {
          ...(init.key ? { authorization: `Bearer ${init.key}` } : {}),
          ...(init.body === undefined ? {} : { 'content-type': init.type ?? 'application/json' }),
        },
        ...(init.body === undefined ? {} : { body: init.body }),
      });
      return { status: response.status, headers: response.headers, body: await response.json() };
    };
    const cases: [string, string, string, Awaited<ReturnType<typeof send>>, number][] = [
      ['POST', '/api/publish', '/api/publish', await send('POST', '/api/publish', { body: '{}' }), 401],
      [
        'POST',
        '/api/publish',
        '/api/publish',
        await send('POST', '/api/publish', { key: KEYS.history, body: '{}' }),
        403,
      ],
      [
        'POST',
        '/api/publish',
        '/api/publish',
        await send('POST', '/api/publish', { key: KEYS.publish, body: '{' }),
        400,
      ],
      [
        'POST',
        '/api/publish',
        '/api/publish',
        await send('POST', '/api/publish', { key: KEYS.publish, body: '{"topic":"news","topics":["news"],"data":1}' }),
        400,
      ],
      [
        'POST',
        '/api/publish',
        '/api/publish',
        await send('POST', '/api/publish', { key: KEYS.publish, body: '{"topic":"nope:x","data":1}' }),
        404,
      ],
      [
        'POST',
        '/api/publish',
        '/api/publish',
        await send('POST', '/api/publish', {
          key: KEYS.publish,
          body: JSON.stringify({ topic: 'news', data: 'x'.repeat(5_000) }),
        }),
        413,
      ],
      [
        'POST',
        '/api/publish',
        '/api/publish',
        await send('POST', '/api/publish', { key: KEYS.publish, body: 'topic=news', type: 'text/plain' }),
        415,
      ],
      [
        'GET',
        '/api/history',
        '/api/history',
        await send('GET', '/api/history?topic=news&limit=0', { key: KEYS.history }),
        400,
      ],
    ];
    for (const [method, path, , answer, status] of cases) {
      expect([path, answer.status]).toEqual([path, status]);
      expectDocumented(method, path, answer);
    }
    // A documented path with another method: 405, the Allow header, the Error body.
    const wrongMethod = await send('DELETE', '/api/publish', { key: KEYS.admin });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
    expect(ajv.validate({ $ref: 'openapi#/components/schemas/Error' }, wrongMethod.body)).toBe(true);
    // Refused keys from one address, until the address itself is refused with Retry-After.
    let refused: Answer | undefined;
    for (let i = 0; i < 30 && refused?.status !== 429; i++) {
      refused = await send('GET', '/api/presence?topic=news', { key: `wrong-${i}` });
    }
    expect(refused?.status).toBe(429);
    expectDocumented('GET', '/api/presence', refused as Answer);
  });
});
