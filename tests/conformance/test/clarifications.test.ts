import { createRealtimeServer, type RealtimeServerOptions } from '@oxidite/server';
import { createTestServer, RawClient } from '@oxidite/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { fixtureTopics, useServerUnderTest } from './support/server-under-test';

/**
 * PROTOCOL.md §7: the answers to the questions a second implementation asked (#16). The first
 * group needs only the fixture server; the second configures the reference server (auth, limits),
 * so it is skipped when the suite runs against another server.
 */
const server = useServerUnderTest();

/** How a handshake ends: an HTTP status, a client-side failure, or the subprotocol and close code. */
function outcome(ws: WebSocket): Promise<string> {
  return new Promise((resolve) => {
    ws.on('error', (error) => resolve(`client error: ${error.message}`));
    ws.once('unexpected-response', (_req, res) => resolve(`HTTP ${res.statusCode}`));
    ws.once('open', () => ws.once('close', (code) => resolve(`101 ${JSON.stringify(ws.protocol)}, close ${code}`)));
  });
}

const nested = (levels: number): unknown => JSON.parse(`${'['.repeat(levels)}${']'.repeat(levels)}`);

describe('§7 answers, on any server', () => {
  it('7.2: a refused subprotocol offer gets its first non-token subprotocol in the 101, then 1008', async () => {
    expect(await outcome(new WebSocket(server.wsUrl, ['foo', 'oxidite.v2']))).toBe('101 "foo", close 1008');
    expect(await outcome(new WebSocket(server.wsUrl, ['oxidite.token.c2VjcmV0']))).toBe(
      'client error: Server sent no subprotocol',
    );
  });

  it('7.3: the envelope is the first nesting level (32 levels in all pass, 33 are too_large, with the id)', async () => {
    const client = await server.connect();
    client.send({ type: 'publish', id: 1, topic: 'chat:x', data: { text: 'ok', deep: nested(30) } });
    expect(await client.next('ack')).toMatchObject({ id: 1 });
    client.send({ type: 'publish', id: 2, topic: 'chat:x', data: { text: 'no', deep: nested(31) } });
    expect(await client.next('error')).toMatchObject({ code: 'too_large', id: 2 });
  });

  it.each(['[]', '"text"', '42', 'null'])('7.4: valid JSON that is not an object (%s) → invalid', async (frame) => {
    const client = await server.connect();
    client.send(frame);
    expect(await client.next('error')).toMatchObject({ code: 'invalid' });
  });

  it('7.4: an object without `type` → unknown_type, with its id when it has a usable one', async () => {
    const client = await server.connect();
    client.send({ id: 5 });
    expect(await client.next('error')).toMatchObject({ code: 'unknown_type', id: 5 });
  });

  it('7.6: a new topic is at `<epoch>:0`; a subscribe without `since` says `recovered: true`', async () => {
    const client = await server.connect();
    const topic = server.room();
    client.send({ type: 'subscribe', id: 1, topic });
    expect(await client.next('subscribed')).toMatchObject({
      offset: expect.stringMatching(/^[\w-]+:0$/),
      recovered: true,
    });
  });

  it('7.7: with both `since` and `rewind`, `since` decides; `rewind` is ignored', async () => {
    const writer = await server.connect();
    const topic = server.room();
    for (const id of [1, 2, 3]) writer.send({ type: 'publish', id, topic, data: { text: String(id) } });
    const { offset } = (await writer.next('ack', (e) => e.id === 2)) as { offset: string };
    await writer.next('ack', (e) => e.id === 3);
    const reader = await server.connect();
    reader.send({ type: 'subscribe', id: 1, topic, since: offset, rewind: 3 });
    await reader.next('subscribed');
    expect((await reader.next('message')).data).toEqual({ text: '3' });
    reader.send({ type: 'ping' });
    await reader.next('pong');
    expect(reader.messages(topic)).toHaveLength(1);
  });

  it('7.8: subscribing twice → `invalid` for the second; the first stays, delivering once', async () => {
    const client = await server.connect();
    const topic = server.room();
    client.send({ type: 'subscribe', id: 1, topic });
    await client.next('subscribed');
    client.send({ type: 'subscribe', id: 2, topic });
    expect(await client.next('error')).toMatchObject({ id: 2, code: 'invalid' });
    client.send({ type: 'publish', id: 3, topic, data: { text: 'once' } });
    await client.next('ack');
    client.send({ type: 'ping' });
    await client.next('pong');
    expect(client.messages(topic)).toHaveLength(1);
  });
});

describe.skipIf(process.env['CONFORMANCE_WS_URL'] !== undefined)(
  '§7 answers, on the reference server configured',
  () => {
    let close = async () => {};
    afterEach(() => close());
    async function start(options: Partial<RealtimeServerOptions<typeof fixtureTopics>>) {
      const started = await createTestServer(createRealtimeServer({ topics: fixtureTopics, ...options }));
      close = () => started.close();
      return started;
    }

    it('7.1: no subprotocol and no token, on a server that requires auth → HTTP 401 (auth is checked first)', async () => {
      const { url } = await start({ auth: () => null });
      expect(await outcome(new WebSocket(url, []))).toBe('HTTP 401');
    });

    it('7.1: an origin not allowed is checked before auth: 1008 for an oxidite.v1 offer, token or not; else HTTP 403', async () => {
      const { url } = await start({ auth: () => null, security: { origins: ['https://app.example.com'] } });
      const headers = { origin: 'https://evil.example' };
      expect(await outcome(new WebSocket(url, ['oxidite.v1'], { headers }))).toBe('101 "oxidite.v1", close 1008');
      expect(
        await outcome(new WebSocket(url, ['oxidite.v1'], { headers: { ...headers, authorization: 'Bearer x' } })),
      ).toBe('101 "oxidite.v1", close 1008');
      expect(await outcome(new WebSocket(url, [], { headers }))).toBe('HTTP 403');
    });

    it('7.5: a `rewind` above the server cap gets the newest `maxRewind` messages, without an error', async () => {
      const { url, rt } = await start({ maxRewind: 5 });
      for (let i = 1; i <= 8; i++) await rt.publish('chat:r', { text: String(i) });
      const client = await RawClient.connect(url);
      client.send({ type: 'subscribe', id: 1, topic: 'chat:r', rewind: 100 });
      await client.next('subscribed');
      client.send({ type: 'ping' });
      await client.next('pong');
      expect(client.messages('chat:r').map((m) => m.data)).toEqual(['4', '5', '6', '7', '8'].map((text) => ({ text })));
    });

    it('7.12: SSE `close` (here on shutdown) has no `id:` and its data is `{ code, reason }`, not an envelope', async () => {
      const { origin, close: shutdown } = await start({});
      const response = await fetch(`${origin}/events?topic=chat:a`);
      const reader = response.body?.getReader();
      let text = '';
      let isShutDown = false;
      for (;;) {
        const chunk = await reader?.read();
        if (!chunk || chunk.done) break;
        text += new TextDecoder().decode(chunk.value);
        if (!isShutDown && text.includes('event: subscribed')) {
          isShutDown = true;
          void shutdown();
        }
      }
      const block = text.split('\n\n').find((b) => b.startsWith('event: close'));
      expect(block?.split('\n')[0]).toBe('event: close');
      expect(JSON.parse(block?.split('\n')[1]?.slice('data: '.length) ?? '')).toEqual({
        code: 1001,
        reason: expect.any(String),
      });
    });

    it('7.9: the 20th refusal in a row is the 4429 close itself (19 `rate_limited` errors before it); `retryAfter` is in ms', async () => {
      const { url } = await start({
        security: { rateLimits: { messagesPerConnection: { capacity: 1, refillPerSecond: 0.01 } } },
      });
      const client = await RawClient.connect(url);
      for (let i = 0; i < 25; i++) client.send({ type: 'ping' });
      expect((await client.closed).code).toBe(4429);
      const errors = client.received.filter((e) => e.type === 'error');
      expect(errors).toHaveLength(19);
      expect(errors[0]).toMatchObject({ code: 'rate_limited', retryAfter: expect.any(Number) });
      expect((errors[0] as { retryAfter: number }).retryAfter).toBeGreaterThan(1_000); // 1 token per 100 s: ms, not s
    });
  },
);
