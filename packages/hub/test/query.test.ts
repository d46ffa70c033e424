import { describe, expect, it } from 'vitest';
import { startTestHub } from './support/test-hub';

const invalid = (parameter: string) => ({
  status: 400,
  body: { error: { code: 'invalid', message: expect.stringMatching(new RegExp(`^${parameter}: `)) } },
});

describe('query parameters are parsed strictly', () => {
  it('limit of /api/history: a decimal integer from 1 to 1000, nothing else', async () => {
    await using t = await startTestHub();
    for (let i = 0; i < 20; i++) await t.api('/api/publish', { key: 'publish', body: { topic: 'news', data: i } });
    for (const limit of ['0x10', '1e3', '%205', '5%20', '+5', '05', '5.0', '0', '1001', '', '-1', '1_0']) {
      const answer = await t.api(`/api/history?topic=news&limit=${limit}`, { key: 'history' });
      expect([limit, answer]).toEqual([limit, invalid('limit')]);
    }
    const ok = await t.api('/api/history?topic=news&limit=16', { key: 'history' });
    expect(ok.body?.['messages']).toHaveLength(16);
    expect((await t.api('/api/history?topic=news&limit=1000', { key: 'history' })).status).toBe(200);
  });

  it('the notifications list: unreadOnly true or false, limit 1–100, before a notification id', async () => {
    await using t = await startTestHub();
    const inbox = '/api/users/ada/notifications';
    for (const query of ['unreadOnly=maybe', 'unreadOnly=1', 'unreadOnly=', 'unreadOnly=TRUE']) {
      expect([query, await t.api(`${inbox}?${query}`, { key: 'history' })]).toEqual([query, invalid('unreadOnly')]);
    }
    for (const query of ['limit=0x10', 'limit=101', 'limit=1e1']) {
      expect([query, await t.api(`${inbox}?${query}`, { key: 'history' })]).toEqual([query, invalid('limit')]);
    }
    for (const query of ['before=', 'before=not-an-id']) {
      expect([query, await t.api(`${inbox}?${query}`, { key: 'history' })]).toEqual([query, invalid('before')]);
    }
    for (const query of ['unreadOnly=true', 'unreadOnly=false&limit=100']) {
      expect([query, (await t.api(`${inbox}?${query}`, { key: 'history' })).status]).toEqual([query, 200]);
    }
  });

  it('a parameter given twice, or one the route does not take, is refused by name', async () => {
    await using t = await startTestHub();
    expect(await t.api('/api/history?topic=news&limit=5&limit=6', { key: 'history' })).toEqual(invalid('limit'));
    expect(await t.api('/api/history?topic=news&topic=chat:a', { key: 'history' })).toEqual(invalid('topic'));
    expect(await t.api('/api/history?topic=news&limt=5', { key: 'history' })).toEqual(invalid('limt'));
    expect(await t.api('/api/presence?topic=news&since=1', { key: 'presence' })).toEqual(invalid('since'));
    expect(await t.api('/api/analytics/metrics?x=1', { key: 'admin' })).toEqual(invalid('x'));
    expect(await t.api('/api/publish?x=1', { key: 'publish', body: { topic: 'news', data: 1 } })).toEqual(invalid('x'));
    // Probes ignore a query a load balancer may add.
    expect((await t.api('/healthz?probe=lb')).status).toBe(200);
    expect((await t.api('/readyz?probe=lb')).status).toBe(200);
  });
});
