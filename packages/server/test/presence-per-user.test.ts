import type { Member } from '@oxidite/protocol';
import { describe, expect, it } from 'vitest';
import { useTestResources } from './support/clients';
import { SseReader } from './support/sse-reader';
import { startTestServer } from './support/test-server';

const t = useTestResources();
/** The token is the user id. */
const auth = ({ token }: { token: string | undefined }) => (token ? { id: token } : null);
const users = (members: readonly Member[] | undefined) => (members ?? []).map((m) => m.user).sort();

describe('presence is per user (issue #15, item 8)', () => {
  it('shows a user with a WebSocket tab and an SSE stream once, and keeps them until the last goes', async () => {
    const server = t.track(await startTestServer({ auth }));
    const watcher = await t.connect(`${server.url}?access_token=bob`);
    await watcher.subscribe('lobby:1');
    const tab = await t.connect(`${server.url}?access_token=ann`);
    await tab.subscribe('lobby:1');
    await watcher.next('presence', (p) => users(p.joins).includes('ann'));
    const stream = new SseReader(`http://127.0.0.1:${server.port}/events?topic=lobby:1&access_token=ann`);
    try {
      await stream.until(() => stream.events.some((e) => e.type === 'subscribed'), 5_000, 'subscribed');
      const subscribed = JSON.parse(stream.events.find((e) => e.type === 'subscribed')?.data ?? '{}');
      expect(users(subscribed.presence)).toEqual(['ann', 'bob']);
      // A third connection of ann: still one member for everyone.
      const again = await t.connect(`${server.url}?access_token=ann`);
      const third = await again.subscribe('lobby:1');
      expect(third.type === 'subscribed' && users(third.presence)).toEqual(['ann', 'bob']);
      await again.close();
      await tab.close();
      stream.close();
      const leave = await watcher.next('presence', (p) => p.leaves.length > 0);
      expect(users(leave.leaves)).toEqual(['ann']);
      // Only one join and one leave of ann reached the watcher.
      const changes = watcher.received.filter((e) => e.type === 'presence');
      expect(changes.map((p) => [users(p.joins), users(p.leaves)])).toEqual([
        [['ann'], []],
        [[], ['ann']],
      ]);
    } finally {
      stream.close();
    }
  });

  it('leaves SSE readers out of presence unless the topic opts in (presence: { sse: true })', async () => {
    const server = t.track(await startTestServer({ auth }));
    const watcher = await t.connect(`${server.url}?access_token=bob`);
    await watcher.subscribe('room:1'); // presence: true
    const reader = new SseReader(`http://127.0.0.1:${server.port}/events?topic=room:1&access_token=dashboard`);
    try {
      await reader.until(() => reader.events.some((e) => e.type === 'subscribed'), 5_000, 'subscribed');
      const subscribed = JSON.parse(reader.events.find((e) => e.type === 'subscribed')?.data ?? '{}');
      expect(users(subscribed.presence)).toEqual(['bob']); // it sees presence, and is not in it
      const late = await t.connect(`${server.url}?access_token=cy`);
      const sub = await late.subscribe('room:1');
      expect(sub.type === 'subscribed' && users(sub.presence)).toEqual(['bob', 'cy']);
      await reader.until(() => reader.events.some((e) => e.type === 'presence'), 5_000, 'a presence event');
    } finally {
      reader.close();
    }
  });
});
