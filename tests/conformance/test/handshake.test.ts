import { once } from 'node:events';
import { request } from 'node:http';
import { createRealtimeServer } from '@oxidite/server';
import { createTestServer } from '@oxidite/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { fixtureTopics, useServerUnderTest } from './support/server-under-test';

/**
 * PROTOCOL.md §1.1: the HTTP statuses of a refused handshake that come from the HTTP and WebSocket
 * layers rather than from the protocol (400, 431), and which token is read when a request carries
 * several.
 */
const server = useServerUnderTest();

/** The status of an upgrade request with these headers (101 when it is accepted). */
async function upgradeStatus(headers: Record<string, string>): Promise<number> {
  const url = new URL(server.wsUrl.replace(/^ws/, 'http'));
  const req = request(url, {
    headers: {
      connection: 'Upgrade',
      upgrade: 'websocket',
      'sec-websocket-version': '13',
      'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
      ...headers,
    },
  });
  const answer = new Promise<number>((resolve, reject) => {
    req.once('response', (res) => resolve(res.statusCode ?? 0));
    req.once('upgrade', (_, socket) => {
      socket.destroy();
      resolve(101);
    });
    req.once('error', reject);
  });
  req.end();
  try {
    return await answer;
  } finally {
    req.destroy();
  }
}

describe('§1.1 refusals from the HTTP and WebSocket layers', () => {
  it('a well-formed request is upgraded (the helper works)', async () => {
    expect(await upgradeStatus({ 'sec-websocket-protocol': 'oxidite.v1' })).toBe(101);
  });

  it('`oxidite.v1` offered twice: 400', async () => {
    expect(await upgradeStatus({ 'sec-websocket-protocol': 'oxidite.v1, oxidite.v1' })).toBe(400);
  });

  it('a token subprotocol that is not a valid token (base64url padded with `=`): 400', async () => {
    expect(await upgradeStatus({ 'sec-websocket-protocol': 'oxidite.v1, oxidite.token.c2VjcmV0Cg==' })).toBe(400);
  });

  it('request headers over the HTTP server limit (16 KiB for Node): 431', async () => {
    expect(await upgradeStatus({ 'sec-websocket-protocol': 'oxidite.v1', cookie: `a=${'x'.repeat(17_000)}` })).toBe(
      431,
    );
  });
});

// Which token wins needs a server that knows a token: the reference server, with one valid token.
describe.skipIf(process.env['CONFORMANCE_WS_URL'] !== undefined)('§1.1 token precedence', () => {
  const GOOD = 'good-token';
  let url = '';
  let close = async () => {};
  beforeAll(async () => {
    const rt = createRealtimeServer({
      topics: fixtureTopics,
      auth: ({ token }) => (token === GOOD ? { id: 'alice' } : null),
    });
    const started = await createTestServer(rt);
    [url, close] = [started.url, () => started.close()];
  });
  afterAll(() => close());

  const subprotocol = (token: string) => `oxidite.token.${Buffer.from(token).toString('base64url')}`;
  /** `welcome` when the token that counts is GOOD, 4401 when it is another. */
  async function outcome(options: { header?: string; protocols?: string[]; query?: string }): Promise<string> {
    const target = options.query === undefined ? url : `${url}?access_token=${options.query}`;
    const ws = new WebSocket(target, ['oxidite.v1', ...(options.protocols ?? [])], {
      headers: options.header === undefined ? {} : { authorization: `Bearer ${options.header}` },
    });
    const result = await Promise.race([
      once(ws, 'message').then(([data]) => String(JSON.parse(String(data)).type)),
      once(ws, 'close').then(([code]) => String(code)),
    ]);
    ws.terminate();
    return result;
  }

  it('the `Authorization` header wins over a token subprotocol and the query', async () => {
    expect(await outcome({ header: GOOD, protocols: [subprotocol('bad')], query: 'bad' })).toBe('welcome');
    expect(await outcome({ header: 'bad', protocols: [subprotocol(GOOD)], query: GOOD })).toBe('4401');
  });

  it('a token subprotocol wins over the query', async () => {
    expect(await outcome({ protocols: [subprotocol(GOOD)], query: 'bad' })).toBe('welcome');
    expect(await outcome({ protocols: [subprotocol('bad')], query: GOOD })).toBe('4401');
  });

  it('of two token subprotocols, the first offered wins', async () => {
    expect(await outcome({ protocols: [subprotocol(GOOD), subprotocol('bad')] })).toBe('welcome');
    expect(await outcome({ protocols: [subprotocol('bad'), subprotocol(GOOD)] })).toBe('4401');
  });

  it('the query is read when nothing else carries a token', async () => {
    expect(await outcome({ query: GOOD })).toBe('welcome');
  });
});

describe('§2.1 `unsubscribe` of a name that is not a topic name (§3.1)', () => {
  it('is answered `error` `invalid` with its id, since the envelope fails validation', async () => {
    const client = await server.connect();
    client.send({ type: 'unsubscribe', id: 9, topic: 'not a topic!' });
    expect(await client.next('error')).toMatchObject({ id: 9, code: 'invalid' });
  });

  it('of a valid name that is not declared: `unsubscribed`, like any topic not subscribed', async () => {
    const client = await server.connect();
    client.send({ type: 'unsubscribe', id: 10, topic: 'undeclared:topic' });
    expect(await client.next('unsubscribed')).toMatchObject({ id: 10, topic: 'undeclared:topic' });
  });
});
