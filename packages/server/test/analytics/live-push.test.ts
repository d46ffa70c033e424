import { analyticsTopics, defineTopics, type MetricsSnapshot } from '@oxidite/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { type AnalyticsService, createAnalyticsService, type MetricsPublisher } from '../../src/index';
import { useTestResources } from '../support/clients';
import { SseReader } from '../support/sse-reader';
import { startTestServer, testTopics } from '../support/test-server';
import { createTestClock, EPOCH } from './support';

const t = useTestResources();
const liveTopics = defineTopics({ ...testTopics, ...analyticsTopics });
const services: AnalyticsService[] = [];
const readers: SseReader[] = [];
afterEach(async () => {
  for (const reader of readers.splice(0)) reader.close();
  await Promise.all(services.splice(0).map((s) => s.close()));
});

async function startLive(publishInterval = 0) {
  const server = t.track(await startTestServer({ topics: liveTopics }));
  const clock = createTestClock(EPOCH + 30_000);
  const service = createAnalyticsService({ realtime: server.rt, now: clock.now, flushInterval: 0, publishInterval });
  services.push(service);
  return { server, service };
}

const isMetrics = (e: { type: string; topic?: string }) => e.type === 'message' && e.topic === 'analytics:metrics';

describe('live metrics push', () => {
  it('publishes a snapshot on analytics:metrics to a WebSocket subscriber on publishNow()', async () => {
    const { server, service } = await startLive();
    const client = await t.connect(server.url);
    expect(await client.subscribe('analytics:metrics')).toMatchObject({ type: 'subscribed' });
    service.track({ type: 'page_view', userId: 'a' });
    service.track({ type: 'signup', userId: 'a' });
    const published = await service.publishNow();
    const message = await client.next('message', isMetrics);
    expect(message.data).toEqual(published);
    expect(message.data).toMatchObject({ pageViews: 1, uniqueVisitors: 1, eventCounts: { page_view: 1, signup: 1 } });
    expect(service.stats().published).toBe(1);
  });

  it('streams the same snapshots to an SSE reader', async () => {
    const { server, service } = await startLive();
    const reader = new SseReader(`http://127.0.0.1:${server.port}/events?topic=analytics:metrics`);
    readers.push(reader);
    await reader.until(() => reader.events.some((e) => e.type === 'subscribed'));
    service.track({ type: 'page_view', sessionId: 's1' });
    const published = await service.publishNow();
    await reader.until(() => reader.messages().length === 1, 5_000, 'a metrics message');
    const [message] = reader.messages();
    expect(message?.topic).toBe('analytics:metrics');
    expect(message?.data).toEqual(published);
  });

  it('publishes on its own every publishInterval', async () => {
    const { server, service } = await startLive(20);
    const client = await t.connect(server.url);
    await client.subscribe('analytics:metrics');
    service.track({ type: 'page_view', userId: 'a' });
    const message = await client.next('message', (e) => isMetrics(e) && (e.data as MetricsSnapshot).pageViews === 1);
    expect((message.data as MetricsSnapshot).perMinute).toHaveLength(60);
  });

  it('keeps the latest snapshot in history, so a dashboard renders at once with rewind: 1', async () => {
    const { server, service } = await startLive();
    service.track({ type: 'page_view', userId: 'a' });
    await service.publishNow();
    service.track({ type: 'page_view', userId: 'b' });
    await service.publishNow();
    const client = await t.connect(server.url);
    await client.subscribe('analytics:metrics', { rewind: 10 });
    const message = await client.next('message', isMetrics);
    expect((message.data as MetricsSnapshot).pageViews).toBe(2);
    expect(client.messages('analytics:metrics')).toHaveLength(1);
  });

  it('only type-checks with a server whose topic map includes analyticsTopics', async () => {
    const plain = t.track(await startTestServer());
    // @ts-expect-error: testTopics has no 'analytics:metrics' topic
    const publisher: MetricsPublisher = plain.rt;
    await expect(publisher.publish('analytics:metrics', await createSnapshot())).rejects.toMatchObject({
      code: 'unknown_topic',
    });
  });
});

async function createSnapshot(): Promise<MetricsSnapshot> {
  const service = createAnalyticsService({ publishInterval: 0, flushInterval: 0 });
  services.push(service);
  return service.metrics();
}
