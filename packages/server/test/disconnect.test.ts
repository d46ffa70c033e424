import { withDeadline } from '@oxidite/test-utils';
import { describe, expect, it } from 'vitest';
import type { AuthHook } from '../src/index';
import { useTestResources } from './support/clients';
import { SseReader } from './support/sse-reader';
import { startTestServer } from './support/test-server';

const t = useTestResources();
/** The bearer token is the user id. */
const auth: AuthHook = ({ token }) => (token ? { id: token } : null);
const as = (user: string) => ({ headers: { authorization: `Bearer ${user}` } });

describe('rt.disconnect(user)', () => {
  it("closes every connection of the user on this node with 4403 (the client stops), and nobody else's", async () => {
    const server = t.track(await startTestServer({ auth }));
    const [first, second, other] = [
      await t.connect(server.url, as('42')),
      await t.connect(server.url, as('42')),
      await t.connect(server.url, as('7')),
    ];
    expect(server.rt.disconnect('42')).toBe(2);
    const closes = await withDeadline(Promise.all([first.closed, second.closed]), 5_000, 'both closes');
    expect(closes).toEqual([
      { code: 4403, reason: 'disconnected by the server' },
      { code: 4403, reason: 'disconnected by the server' },
    ]);
    await other.subscribe('chat'); // still served
    expect(server.rt.disconnect('nobody')).toBe(0);
  });

  it('refuses any other close code with a RangeError and closes nothing (outside run 3: 1005 reached nobody)', async () => {
    const server = t.track(await startTestServer({ auth }));
    const client = await t.connect(server.url, as('42'));
    for (const code of [1005, 3000, 1000, 4429]) {
      expect(() => server.rt.disconnect('42', { code: code as 4403 })).toThrow(
        `disconnect code must be 4403 or 4401, got ${code}`,
      );
    }
    await client.subscribe('chat'); // still open
    expect(server.rt.disconnect('42')).toBe(1);
  });

  it('takes 4401 and a reason (the client fetches a fresh token once), and ends SSE streams too', async () => {
    const server = t.track(await startTestServer({ auth }));
    const socket = await t.connect(server.url, as('42'));
    const reader = new SseReader(`http://127.0.0.1:${server.port}/events?topic=chat&access_token=42`);
    try {
      await reader.until(() => reader.events.some((e) => e.type === 'subscribed'), 5_000, 'the SSE subscription');
      expect(server.rt.disconnect('42', { code: 4401, reason: 'session revoked' })).toBe(2);
      expect(await withDeadline(socket.closed, 5_000, 'the close')).toEqual({ code: 4401, reason: 'session revoked' });
      await withDeadline(reader.ended, 5_000, 'the stream to end');
      expect(reader.events.at(-1)).toMatchObject({ type: 'close', data: expect.stringContaining('4401') });
    } finally {
      reader.close();
    }
  });
});
