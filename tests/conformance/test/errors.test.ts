import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { useServerUnderTest } from './support/server-under-test';

/** PROTOCOL.md §3.1, §5 and §6: a bad request is answered with the documented code, never a crash. */
const server = useServerUnderTest();

describe('§5.2 error codes, the connection kept', () => {
  it.each([
    ['not JSON', '{"type":', 'malformed'],
    ['an unknown type', { type: 'teleport', id: 1 }, 'unknown_type'],
    ['a subscribe without topic', { type: 'subscribe', id: 1 }, 'invalid'],
    ['a topic outside the alphabet', { type: 'subscribe', id: 1, topic: 'chat:has space' }, 'invalid'],
    ['a topic longer than the limit (200)', { type: 'subscribe', id: 1, topic: `chat:${'x'.repeat(200)}` }, 'invalid'],
    ['a topic the server does not declare', { type: 'subscribe', id: 1, topic: 'nowhere' }, 'unknown_topic'],
    ['a payload its topic schema refuses', { type: 'publish', id: 1, topic: 'chat:x', data: { text: 42 } }, 'invalid'],
    [
      'JSON nested deeper than 32',
      { type: 'publish', id: 1, topic: 'chat:x', data: JSON.parse(`${'['.repeat(40)}${']'.repeat(40)}`) },
      'too_large',
    ],
  ])('%s → `%s`', async (_case, frame, code) => {
    const client = await server.connect();
    client.send(frame);
    const error = await client.next('error');
    expect(error).toMatchObject({ code, message: expect.any(String) });
    client.send({ type: 'ping' });
    await client.next('pong');
  });

  it('an error about a request that had a usable `id` carries it', async () => {
    const client = await server.connect();
    client.send({ type: 'subscribe', id: 41, topic: 'nowhere' });
    expect(await client.next('error')).toMatchObject({ id: 41, code: 'unknown_topic' });
  });
});

describe('§5.1 / §6 close codes', () => {
  it('a text message over 64 KiB closes the connection with 1009', async () => {
    const client = await server.connect();
    client.send({ type: 'publish', topic: 'chat:x', data: { text: 'x'.repeat(70_000) } });
    const [code] = await once(client.ws, 'close');
    expect(code).toBe(1009);
  });
});
