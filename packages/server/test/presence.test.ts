import { describe, expect, it } from 'vitest';
import { useTestResources } from './support/clients';
import { startTestServer } from './support/test-server';

const t = useTestResources();

describe('presence', () => {
  it('lists members on subscribe and announces joins and leaves', async () => {
    let n = 0;
    const server = t.track(await startTestServer({ auth: () => ({ id: `u${++n}`, info: { name: `User ${n}` } }) }));
    const a = await t.connect(server.url);
    const subA = await a.subscribe('room:7');
    expect(subA.type === 'subscribed' && subA.presence?.map((m) => m.user)).toEqual(['u1']);

    const b = await t.connect(server.url);
    const subB = await b.subscribe('room:7');
    expect(subB.type === 'subscribed' && subB.presence?.map((m) => m.user).sort()).toEqual(['u1', 'u2']);
    const join = await a.next('presence', (p) => p.joins.length > 0);
    expect(join.joins[0]).toMatchObject({ user: 'u2', info: { name: 'User 2' } });

    await b.close();
    const leave = await a.next('presence', (p) => p.leaves.length > 0);
    expect(leave.leaves[0]).toMatchObject({ user: 'u2' });
  });

  it('sends no presence for topics that did not opt in', async () => {
    const server = t.track(await startTestServer());
    const a = await t.connect(server.url);
    const sub = await a.subscribe('chat');
    expect(sub.type === 'subscribed' && sub.presence).toBeUndefined();
  });
});
