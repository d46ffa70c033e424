import { afterEach, describe, expect, it } from 'vitest';
import type { RealtimeServerOptions } from '../src/index';
import { useTestResources } from './support/clients';
import { SseReader } from './support/sse-reader';
import { startTestServer, type testTopics } from './support/test-server';

const t = useTestResources();
const readers: SseReader[] = [];
afterEach(() => {
  for (const reader of readers.splice(0)) reader.close();
});

/** A principal per `x-user` header. */
const headerAuth = ({ req }: { req: { headers: Record<string, string | string[] | undefined> } }) => {
  const user = req.headers['x-user'];
  return typeof user === 'string' ? { id: user } : null;
};

async function open(options: Partial<RealtimeServerOptions<typeof testTopics>>, query: string, user = 'ann') {
  const server = t.track(await startTestServer({ auth: headerAuth, ...options }));
  const reader = new SseReader(`http://127.0.0.1:${server.port}/events?${query}`, { 'x-user': user });
  readers.push(reader);
  return { server, reader, response: await reader.response };
}

describe('SSE: a stream whose every topic is refused answers with an HTTP status (#14.9)', () => {
  const refuseAll = (): boolean => false;
  const failing = (): Promise<boolean> => Promise.reject(new Error('db down'));
  const cases: [string, number, Partial<RealtimeServerOptions<typeof testTopics>>, string][] = [
    ['unknown topics', 404, {}, 'topic=nope&topic=nada'],
    ["another user's topic", 403, {}, 'topic=user:bob'],
    ['topics the authorize hook refuses', 403, { authorize: refuseAll }, 'topic=chat&topic=room:1'],
    ['a topic name too long', 400, {}, `topic=${'x'.repeat(300)}`],
    ['a topic name the protocol refuses', 400, {}, 'topic=%24bad'],
    ['a line separator in a name (never trimmed into another topic)', 400, {}, 'topic=%E2%80%A8chat'],
    ['an authorize hook that throws (retry later)', 503, { authorize: failing }, 'topic=chat'],
  ];
  it.each(cases)('%s → %d, nothing subscribed', async (_case, status, options, query) => {
    const { server, response, reader } = await open(options, query);
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-type']).toBe('text/plain');
    await reader.ended;
    expect(server.rt.stats().subscriptions).toBe(0);
    expect(server.rt.stats().connections.sse).toBe(0);
  });

  it('the body names the refusal the status is about, and a bad name is `invalid` as on WebSocket', async () => {
    const stream = await open({}, 'topic=chat&topic=%24bad');
    const mixed = await fetch(`http://127.0.0.1:${stream.server.port}/events?topic=nope&topic=user:bob`, {
      headers: { 'x-user': 'ann' },
    });
    expect([mixed.status, await mixed.text()]).toEqual([403, 'subscribe not allowed on user:bob\n']);
    await stream.reader.until(() => stream.reader.events.some((e) => e.type === 'error'));
    expect(JSON.parse(stream.reader.events.find((e) => e.type === 'error')?.data ?? '{}')).toMatchObject({
      id: 1,
      code: 'invalid',
    });
  });

  it('a refused topic beside an allowed one: 200, an error event for the refused, the other streams', async () => {
    const { server, response, reader } = await open({}, 'topic=chat&topic=user:bob');
    expect(response.statusCode).toBe(200);
    await reader.until(
      () => reader.events.some((e) => e.type === 'error') && reader.events.some((e) => e.type === 'subscribed'),
    );
    expect(JSON.parse(reader.events.find((e) => e.type === 'error')?.data ?? '{}')).toMatchObject({
      id: 1,
      code: 'forbidden',
      topic: 'user:bob',
    });
    await server.rt.publish('chat', { text: 'hi' });
    await reader.until(() => reader.messages().length === 1);
    expect(reader.messages()[0]).toMatchObject({ topic: 'chat', data: { text: 'hi' } });
  });

  it('a 51st topic gets an error event, not silence', async () => {
    const topics = Array.from({ length: 52 }, (_, i) => `topic=room:${i}`).join('&');
    const { response, reader } = await open({}, topics);
    expect(response.statusCode).toBe(200);
    await reader.until(() => reader.events.filter((e) => e.type === 'subscribed').length === 50);
    await reader.until(() => reader.events.some((e) => e.type === 'error'));
    expect(JSON.parse(reader.events.find((e) => e.type === 'error')?.data ?? '{}')).toMatchObject({
      id: 50,
      code: 'limit_exceeded',
      message: 'at most 50 topics per stream: 2 more were not subscribed',
    });
  });

  it('the authorize hook is asked once per topic, not again when subscribing', async () => {
    const asked: string[] = [];
    const { reader } = await open(
      {
        authorize: ({ action, topic }) => {
          if (action === 'subscribe') asked.push(topic);
          return true;
        },
      },
      'topic=chat&topic=room:1',
    );
    await reader.until(() => reader.events.filter((e) => e.type === 'subscribed').length === 2);
    expect(asked.sort()).toEqual(['chat', 'room:1']);
  });
});
