import { EventSource } from 'eventsource';
import { afterEach, describe, expect, it } from 'vitest';
import { SseReader } from './support/sse-reader';
import { useTestResources } from './support/clients';
import { startTestServer } from './support/test-server';

const t = useTestResources();
const readers: SseReader[] = [];
afterEach(() => {
  for (const reader of readers.splice(0)) reader.close();
});
function read(url: string, headers?: Record<string, string>): SseReader {
  const reader = new SseReader(url, headers);
  readers.push(reader);
  return reader;
}
const n = (m: { data: unknown }) => (m.data as { n: number }).n;

describe('SSE transport', () => {
  it('streams messages of several topics with ids, retry and stream headers', async () => {
    const server = t.track(await startTestServer());
    const reader = read(`http://127.0.0.1:${server.port}/events?topic=numbers&topic=room:1`);
    const res = await reader.response;
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache, no-transform');
    expect(res.headers['x-accel-buffering']).toBe('no');
    await reader.until(() => reader.events.filter((e) => e.type === 'subscribed').length === 2);
    const a = await server.rt.publish('numbers', { n: 1 });
    const b = await server.rt.publish('room:1', { n: 2 });
    await reader.until(() => reader.messages().length === 2);
    const [first, second] = reader.events.filter((e) => e.type === 'message');
    expect(first?.lastEventId).toBe(`${a.offset},${reader.events[1]?.lastEventId.split(',')[1]}`);
    expect(second?.lastEventId).toBe(`${a.offset},${b.offset}`);
    expect(reader.messages().map(n)).toEqual([1, 2]);
  });

  it('resumes with Last-Event-ID: exactly the missed events, in order, once', async () => {
    const server = t.track(await startTestServer());
    const url = `http://127.0.0.1:${server.port}/events?topic=numbers`;
    const first = read(url);
    await first.until(() => first.events.some((e) => e.type === 'subscribed'));
    for (let i = 1; i <= 3; i++) await server.rt.publish('numbers', { n: i });
    await first.until(() => first.messages().length === 3);
    const lastId = first.events.at(-1)?.lastEventId as string;
    first.close();
    for (let i = 4; i <= 9; i++) await server.rt.publish('numbers', { n: i });
    const second = read(url, { 'last-event-id': lastId });
    await second.until(() => second.messages().length === 6);
    expect(second.messages().map(n)).toEqual([4, 5, 6, 7, 8, 9]);
    const subscribed = JSON.parse(second.events.find((e) => e.type === 'subscribed')?.data as string);
    expect(subscribed.recovered).toBe(true);
  });

  it('tells the client to reload (recovered: false) when the gap is beyond history', async () => {
    const server = t.track(await startTestServer());
    const reader = read(`http://127.0.0.1:${server.port}/events?topic=numbers`, { 'last-event-id': 'gone:5' });
    await reader.until(() => reader.events.some((e) => e.type === 'subscribed'));
    const subscribed = JSON.parse(reader.events.find((e) => e.type === 'subscribed')?.data as string);
    expect(subscribed.recovered).toBe(false);
  });

  it('sends comment heartbeats', async () => {
    const server = t.track(await startTestServer({ heartbeatInterval: 30 }));
    const reader = read(`http://127.0.0.1:${server.port}/events?topic=chat`);
    await reader.until(() => reader.comments.includes('ping'), 5_000, 'a heartbeat');
  });

  it('refuses an unauthenticated stream with 401 and a request without topics with 400', async () => {
    const server = t.track(await startTestServer({ auth: () => null }));
    expect((await read(`http://127.0.0.1:${server.port}/events?topic=chat`).response).statusCode).toBe(401);
    expect((await read(`http://127.0.0.1:${server.port}/events`).response).statusCode).toBe(400);
  });

  it('ends a stalled reader without buffering for it, and counts it', async () => {
    const server = t.track(await startTestServer({ sseBufferSize: 5 }));
    const reader = read(`http://127.0.0.1:${server.port}/events?topic=chat`);
    const res = await reader.response;
    await reader.until(() => reader.events.some((e) => e.type === 'subscribed'));
    res.pause(); // stop reading: the kernel buffers fill, then the stream's own queue
    const text = 'y'.repeat(1_900);
    for (let i = 0; i < 50_000 && server.rt.stats().slowConsumersClosed === 0; i++) {
      await server.rt.publish('chat', { text });
    }
    expect(server.rt.stats().slowConsumersClosed).toBe(1);
    expect(server.rt.stats().connections.sse).toBe(0);
  }, 60_000);

  it('works with the eventsource package', async () => {
    const server = t.track(await startTestServer());
    const received: number[] = [];
    const source = new EventSource(`http://127.0.0.1:${server.port}/events?topic=numbers`);
    try {
      const subscribed = new Promise((resolve) => source.addEventListener('subscribed', resolve, { once: true }));
      source.addEventListener('message', (event) => received.push(n(JSON.parse(event.data))));
      await subscribed;
      await server.rt.publish('numbers', { n: 1 });
      await new Promise<void>((resolve) => {
        const check = () => (received.length === 1 ? resolve() : undefined);
        source.addEventListener('message', check);
        check();
      });
      expect(received).toEqual([1]);
    } finally {
      source.close();
    }
  });

  it('ends every stream on close()', async () => {
    const server = await startTestServer();
    const reader = read(`http://127.0.0.1:${server.port}/events?topic=chat`);
    await reader.until(() => reader.events.some((e) => e.type === 'subscribed'));
    await server.close();
    await reader.ended;
    const close = reader.events.find((e) => e.type === 'close');
    expect(JSON.parse(close?.data as string)).toEqual({ code: 1001, reason: 'server shutting down' });
  });
});
