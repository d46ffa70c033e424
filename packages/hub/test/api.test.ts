import { createEventStream } from '@oxidite/client';
import { eventually } from '@oxidite/test-utils';
import { describe, expect, it } from 'vitest';
import { anyTopics, hubClient, startTestHub } from './support/test-hub';

describe('the HTTP API', () => {
  it('publishes to one topic and to many; a subscribed client receives each once', async () => {
    await using t = await startTestHub();
    const client = hubClient(t.wsUrl);
    const seen: unknown[] = [];
    const lobby = client.subscribe('chat:lobby', (m) => seen.push(['lobby', m]));
    const other = client.subscribe('chat:other', (m) => seen.push(['other', m]));
    await Promise.all([lobby.ready, other.ready]);
    const one = await t.api('/api/publish', { key: 'publish', body: { topic: 'chat:lobby', data: { text: 'a' } } });
    expect(one).toEqual({
      status: 200,
      body: { results: [{ topic: 'chat:lobby', offset: expect.any(String), duplicate: false }] },
    });
    const many = await t.api('/api/publish', {
      key: 'publish',
      body: { topics: ['chat:lobby', 'chat:other'], data: { text: 'b' } },
    });
    expect(many.body?.['results']).toHaveLength(2);
    await eventually(async () => expect(seen).toHaveLength(3), 'three deliveries');
    expect(seen).toEqual([
      ['lobby', { text: 'a' }],
      ['lobby', { text: 'b' }],
      ['other', { text: 'b' }],
    ]);
    client.close();
  });

  it('accepts an idempotency key in the body or the header, and refuses two that differ', async () => {
    await using t = await startTestHub();
    const body = { topic: 'news', data: 1, idempotencyKey: 'order-42' };
    expect((await t.api('/api/publish', { key: 'publish', body })).status).toBe(200);
    const header = { 'idempotency-key': 'order-43' };
    expect(
      (await t.api('/api/publish', { key: 'publish', body: { topic: 'news', data: 1 }, headers: header })).status,
    ).toBe(200);
    const both = await t.api('/api/publish', { key: 'publish', body, headers: header });
    expect(both).toEqual({
      status: 400,
      body: { error: { code: 'invalid', message: expect.stringContaining('differ') } },
    });
    const bad = await t.api('/api/publish', { key: 'publish', body: { ...body, idempotencyKey: 'has space' } });
    expect(bad.body?.['error'].code).toBe('invalid');
  });

  it('publishes a retried request once: the repeat answers the first offset with duplicate: true', async () => {
    await using t = await startTestHub();
    const client = hubClient(t.wsUrl);
    const seen: unknown[] = [];
    await client.subscribe('chat:lobby', (m) => seen.push(m)).ready;
    const request = { key: 'publish', body: { topic: 'chat:lobby', data: { text: 'once' } } } as const;
    const headers = { 'idempotency-key': 'order-7' };
    const first = await t.api('/api/publish', { ...request, headers });
    const retry = await t.api('/api/publish', { ...request, headers });
    const offset = first.body?.['results'][0].offset;
    expect(first.body?.['results']).toEqual([{ topic: 'chat:lobby', offset, duplicate: false }]);
    expect(retry.body?.['results']).toEqual([{ topic: 'chat:lobby', offset, duplicate: true }]);
    const other = await t.api('/api/publish', { ...request, headers: { 'idempotency-key': 'order-8' } });
    expect(other.body?.['results'][0].duplicate).toBe(false);
    await eventually(async () => expect(seen).toHaveLength(2), 'two deliveries');
    expect(seen).toEqual([{ text: 'once' }, { text: 'once' }]);
    client.close();
  });

  it('answers history and presence of a topic', async () => {
    await using t = await startTestHub();
    const client = hubClient(t.wsUrl);
    await client.subscribe('chat:lobby', () => {}).ready;
    await t.api('/api/publish', { key: 'publish', body: { topic: 'chat:lobby', data: { text: 'kept' } } });
    const history = await t.api('/api/history?topic=chat:lobby&limit=10', { key: 'history' });
    expect(history.status).toBe(200);
    expect(history.body?.['messages']).toEqual([
      { offset: expect.any(String), ts: expect.any(Number), data: { text: 'kept' } },
    ]);
    await eventually(async () => {
      const presence = await t.api('/api/presence?topic=chat:lobby', { key: 'presence' });
      expect(presence.body?.['members']).toHaveLength(1);
    }, 'one member');
    client.close();
  });

  it("sends a user's notification (stored in SQLite, delivered live) and lists them", async () => {
    await using t = await startTestHub();
    const sent = await t.api('/api/users/42/notifications', {
      key: 'publish',
      body: { title: 'Hello', body: 'first', category: 'greeting' },
    });
    expect(sent).toMatchObject({ status: 201, body: { title: 'Hello', userId: '42', read: false } });
    const listed = await t.api('/api/users/42/notifications?unreadOnly=true', { key: 'history' });
    expect(listed.body?.['items']).toEqual([expect.objectContaining({ id: sent.body?.['id'] })]);
  });

  it('refuses raw publishes to the store-driven topics: an inbox event or a metrics snapshot the stores never made (new-user run 4)', async () => {
    await using t = await startTestHub();
    const inbox = await t.api('/api/publish', {
      key: 'publish',
      body: { topic: 'notifications:42', data: { kind: 'read_all' } },
    });
    expect(inbox).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    expect(String(inbox.body?.['error']?.['message'])).toContain('/api/users/{user}/notifications');
    const metrics = await t.api('/api/publish', {
      key: 'publish',
      body: { topics: ['news', 'analytics:metrics'], data: { text: 'x' } },
    });
    expect(metrics).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    // Nothing of a refused request is published, not even its allowed topics.
    const history = await t.api('/api/history?topic=news', { key: 'history' });
    expect(history.body?.['messages']).toEqual([]);
  });

  it('broadcasts to every connection and serves analytics metrics to an admin key', async () => {
    await using t = await startTestHub();
    const client = hubClient(t.wsUrl);
    const received: unknown[] = [];
    client.on('broadcast', (data) => received.push(data));
    await eventually(async () => expect(client.state).toBe('open'), 'open');
    const broadcast = await t.api('/api/broadcast', { key: 'publish', body: { data: { notice: 'deploy' } } });
    expect(broadcast).toEqual({ status: 200, body: { sent: 1, failed: 0 } });
    await eventually(async () => expect(received).toEqual([{ notice: 'deploy' }]), 'the broadcast');
    const tracked = await t.api('/api/analytics/events', {
      key: 'publish',
      body: { type: 'page_view', sessionId: 's1' },
    });
    expect(tracked).toEqual({ status: 202, body: { accepted: 1 } });
    const metrics = await t.api('/api/analytics/metrics', { key: 'admin' });
    expect(metrics.body).toMatchObject({ pageViews: 1, uniqueVisitors: 1 });
    client.close();
  });

  it('delivers HTTP publishes to SSE readers on /events too', async () => {
    await using t = await startTestHub();
    const seen: unknown[] = [];
    let isOpen = false;
    const stream = createEventStream(`${t.base}/events`, {
      topics: { news: anyTopics.news },
      handlers: { news: (data) => seen.push(data) },
      onState: ({ to }) => {
        isOpen ||= to === 'open';
      },
    });
    await eventually(async () => expect(isOpen).toBe(true), 'the stream open');
    // 'open' is the response's headers; the subscription may go live a moment later, so publish
    // until one arrives rather than guess when.
    await eventually(async () => {
      await t.api('/api/publish', { key: 'publish', body: { topic: 'news', data: { headline: 'sse' } } });
      expect(seen.length).toBeGreaterThan(0);
    }, 'an SSE delivery');
    expect(seen[0]).toEqual({ headline: 'sse' });
    stream.close();
  });

  it('serves /healthz, /readyz and Prometheus /metrics', async () => {
    await using t = await startTestHub();
    expect(await t.api('/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await t.api('/readyz')).toEqual({ status: 200, body: { status: 'ready' } });
    const metrics = await fetch(`${t.base}/metrics`);
    expect(await metrics.text()).toContain('# TYPE oxidite_connections gauge');
  });
});
