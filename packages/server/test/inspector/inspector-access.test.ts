import { describe, expect, it } from 'vitest';
import { type AuthHook, createRealtimeServer, INSPECTOR_DISCONNECT, type InspectorSnapshot } from '../../src/index';
import { useTestResources } from '../support/clients';
import { RawClient } from '../support/raw-client';
import { startTestServer, testTopics } from '../support/test-server';

const t = useTestResources();
const TOKEN = 'inspector-secret-0123456789';
const auth: AuthHook = ({ token }) => (token === 'ada' ? { id: 'ada' } : null);
const inspector = { token: TOKEN };
const inspectorUrl = (url: string) => `${url}?access_token=${TOKEN}`;

describe('inspector access', () => {
  it('serves the page only with the secret', async () => {
    const server = t.track(await startTestServer({ auth, inspector }));
    const base = `http://127.0.0.1:${server.port}/realtime/inspector`;
    expect((await fetch(base)).status).toBe(404);
    expect((await fetch(`${base}?access_token=wrong-secret-0123456789`)).status).toBe(404);
    const page = await fetch(`${base}?access_token=${TOKEN}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'nonce-");
    expect(await page.text()).toContain('Oxidite inspector');
  });

  it('keeps the feed and the disconnect method to the inspector, and the inspector to reading', async () => {
    const server = t.track(await startTestServer({ auth, inspector }));
    const user = await t.connect(server.url, { headers: { authorization: 'Bearer ada' } });
    expect(await user.subscribe('@inspector')).toMatchObject({ type: 'error', code: 'forbidden' });
    user.send({ type: 'rpc', id: 7, method: INSPECTOR_DISCONNECT, data: { connectionId: 'x' } });
    expect(await user.next('error')).toMatchObject({ id: 7, code: 'forbidden' });

    const admin = await t.connect(inspectorUrl(server.url));
    expect(await admin.subscribe('@inspector', { rewind: 1 })).toMatchObject({ type: 'subscribed' });
    expect(await admin.subscribe('user:ada')).toMatchObject({ type: 'subscribed' }); // tails any topic
    expect(await admin.publish('chat', { text: 'from the inspector' })).toMatchObject({ code: 'forbidden' });
    const snapshot = await admin.next('message');
    expect(snapshot).toMatchObject({ topic: '@inspector' });
  });

  it('publishes snapshots of connections, topics, refusals and closes, without its own connection', async () => {
    const server = t.track(await startTestServer({ auth, inspector: { token: TOKEN, interval: 100 } }));
    const admin = await t.connect(inspectorUrl(server.url));
    await admin.subscribe('@inspector');
    const user = await t.connect(server.url, { headers: { authorization: 'Bearer ada' } });
    await user.subscribe('room:1');
    await server.rt.publish('room:1', { n: 1 });
    const refused = t.adopt(new RawClient(`${server.url}?access_token=nobody`));
    await refused.closed;
    const leaver = await t.connect(server.url, { headers: { authorization: 'Bearer ada' } });
    await leaver.close();
    const snapshot = await admin.waitFor(
      (e): e is Extract<typeof e, { type: 'message' }> =>
        e.type === 'message' &&
        (e.data as InspectorSnapshot).closes.length > 0 &&
        (e.data as InspectorSnapshot).refusals.length > 0,
      10_000,
      'a snapshot with the refusal and the close',
    );
    const data = snapshot.data as InspectorSnapshot;
    expect(data.connections).toEqual([
      {
        id: expect.any(String),
        transport: 'websocket',
        user: 'ada',
        address: '127.0.0.1',
        subscriptions: ['room:1'],
        queuedBytes: 0,
      },
    ]);
    expect(data.topics).toContainEqual({ topic: 'room:1', subscribers: 1, rate: expect.any(Number), historySize: 50 });
    expect(data.refusals[0]).toMatchObject({ status: 401, reason: 'unauthorized', address: '127.0.0.1' });
    expect(data.closes[0]).toMatchObject({ user: 'ada', code: 1005 });
    expect(data.closeCodes).toMatchObject({ 4401: 1 });
  });

  it('sends a wrong secret through the app’s own admission', async () => {
    const server = t.track(await startTestServer({ auth, inspector }));
    const guess = t.adopt(new RawClient(`${server.url}?access_token=wrong-secret-0123456789`));
    expect(await guess.closed).toMatchObject({ code: 4401 });
  });

  it('does not exist unless configured, and refuses a short secret', async () => {
    const server = t.track(await startTestServer({ auth }));
    expect((await fetch(`http://127.0.0.1:${server.port}/realtime/inspector?access_token=${TOKEN}`)).status).toBe(404);
    const user = await t.connect(server.url, { headers: { authorization: 'Bearer ada' } });
    expect(await user.subscribe('@inspector')).toMatchObject({ type: 'error', code: 'unknown_topic' });
    expect(() => createRealtimeServer({ topics: testTopics, inspector: { token: 'short' } })).toThrow(TypeError);
  });
});
