import { describe, expect, it, vi } from 'vitest';
import { RealtimeError } from '../src/index';
import { collect, connect, nextState, startProxy, startServer } from './support/harness';

/** A server whose authorize hook records each subscribe and publish it sees, in order. */
async function recordingServer() {
  const seen: string[] = [];
  const server = await startServer({
    authorize: ({ action, topic }) => {
      seen.push(`${action} ${topic}`);
      return true;
    },
  });
  server.rt.rpc('echo', (data) => data);
  return { server, seen };
}

describe('offline queue', () => {
  it('says how many requests wait (queued) and when the next attempt is (retry events)', async () => {
    const { server } = await recordingServer();
    const proxy = await startProxy(server.port);
    const client = connect(proxy.url, { reconnect: { minDelay: 10, maxDelay: 40 } });
    await client.ready;
    expect(client.queued).toBe(0);
    const retries: { attempt: number; delay: number }[] = [];
    client.on('retry', (retry) => retries.push(retry));
    proxy.refuse(true);
    const away = nextState(client, 'reconnecting');
    proxy.cut();
    await away;
    const sent = [client.publish('chat', { text: 'a' }), client.rpc('echo', { x: 1 })];
    // The publish is validated first (a microtask), then queued.
    await vi.waitFor(() => expect(client.queued).toBe(2));
    await vi.waitFor(() => expect(retries.length).toBeGreaterThanOrEqual(3), { timeout: 10_000 });
    expect(retries.slice(0, 3).map((r) => r.attempt)).toEqual([1, 2, 3]);
    for (const { delay } of retries) expect(delay >= 0 && delay <= 40, `delay ${delay}`).toBe(true);
    proxy.refuse(false);
    await Promise.all(sent);
    expect(client.queued).toBe(0);
  });

  it('holds requests made while disconnected and sends them in order, after the resubscriptions', async () => {
    const { server, seen } = await recordingServer();
    const proxy = await startProxy(server.port);
    const client = connect(proxy.url);
    const chat = collect(client, 'chat');
    await chat.sub.ready;

    proxy.refuse(true);
    const away = nextState(client, 'reconnecting');
    proxy.cut();
    await away;
    seen.length = 0;
    const a = client.publish('chat', { text: 'a' });
    const b = client.publish('chat', { text: 'b' });
    const echo = client.rpc('echo', { x: 3 });
    const d = client.publish('chat', { text: 'd' });
    proxy.refuse(false);

    const [ackA, ackB, reply, ackD] = await Promise.all([a, b, echo, d]);
    expect(reply).toEqual({ x: 3 });
    const seq = (offset: string) => Number(offset.split(':')[1]);
    expect([seq(ackA.offset), seq(ackB.offset), seq(ackD.offset)]).toEqual([1, 2, 3]);
    expect(seen).toEqual(['subscribe chat', 'publish chat', 'publish chat', 'publish chat']);
    await chat.count(3);
    expect(chat.data()).toEqual([{ text: 'a' }, { text: 'b' }, { text: 'd' }]);
  });

  it('queues requests made before the first connection', async () => {
    const { server } = await recordingServer();
    const client = connect(server.url);
    expect(client.state).toBe('connecting');
    await expect(client.rpc('echo', { x: 1 })).resolves.toEqual({ x: 1 });
  });

  it('refuses at once with queue_full when maxSize requests are waiting', async () => {
    const { server } = await recordingServer();
    const proxy = await startProxy(server.port);
    proxy.refuse(true);
    const client = connect(proxy.url, { queue: { maxSize: 2 } });
    const first = client.publish('chat', { text: '1' });
    const second = client.publish('chat', { text: '2' });
    const third = await client.publish('chat', { text: '3' }).catch((caught: unknown) => caught);
    expect(third).toBeInstanceOf(RealtimeError);
    expect(third).toMatchObject({ code: 'queue_full' });
    proxy.refuse(false);
    await expect(Promise.all([first, second])).resolves.toHaveLength(2);
  });

  it('rejects a queued request with queue_full when it waited longer than maxAge', async () => {
    const { server } = await recordingServer();
    const proxy = await startProxy(server.port);
    proxy.refuse(true);
    const client = connect(proxy.url, { queue: { maxAge: 50 } });
    await expect(client.publish('chat', { text: 'stale' })).rejects.toMatchObject({
      code: 'queue_full',
      message: expect.stringMatching(/not sent within 50 ms/),
    });
  });

  it('resends a publish in flight when the connection drops, and resolves it once', async () => {
    const published: unknown[] = [];
    const server = await startServer({
      filter: ({ data }) => {
        published.push(data);
        return true;
      },
    });
    const proxy = await startProxy(server.port);
    const client = connect(proxy.url);
    await client.ready;
    proxy.stall(); // the frame leaves the client and is lost on the way
    const resent = client.publish('chat', { text: 'resent' });
    const away = nextState(client, 'reconnecting');
    proxy.cut();
    await away;
    proxy.restore();
    expect((await resent).offset).toMatch(/:1$/);
    await client.publish('chat', { text: 'after' });
    expect(published).toEqual([{ text: 'resent' }, { text: 'after' }]);
  });

  it('with atMostOnce, rejects a publish in flight when the connection drops with disconnected, and never resends it', async () => {
    const published: unknown[] = [];
    const server = await startServer({
      filter: ({ data }) => {
        published.push(data);
        return true;
      },
    });
    const proxy = await startProxy(server.port);
    const client = connect(proxy.url);
    await client.ready;
    proxy.stall(); // the frame leaves the client and is lost on the way
    const lost = client.publish('chat', { text: 'lost' }, { atMostOnce: true });
    const away = nextState(client, 'reconnecting');
    proxy.cut();
    await expect(lost).rejects.toMatchObject({ code: 'disconnected' });
    await away;
    proxy.restore();
    await client.publish('chat', { text: 'after' });
    expect(published).toEqual([{ text: 'after' }]);
  });

  it('rejects queued requests with disconnected when the client closes', async () => {
    const { server } = await recordingServer();
    const proxy = await startProxy(server.port);
    proxy.refuse(true);
    const client = connect(proxy.url);
    const queued = client.publish('chat', { text: 'never' });
    client.close();
    await expect(queued).rejects.toMatchObject({ code: 'disconnected' });
    await expect(client.ready).rejects.toMatchObject({ code: 'disconnected' });
  });
});
