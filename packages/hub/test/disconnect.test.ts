import { SUBPROTOCOL } from '@oxidite/protocol';
import { withDeadline } from '@oxidite/test-utils';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startTestHub } from './support/test-hub';

const PROXY_USERS = (token: string) => ({ allow: true, user: token });

/** A raw WebSocket admitted as `user` (the fake proxy below names the user after the token). */
async function connectAs(url: string, user: string) {
  const socket = new WebSocket(url, [SUBPROTOCOL], { headers: { authorization: `Bearer ${user}` } });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  return { socket, closed };
}

describe('POST /api/users/{user}/disconnect', () => {
  it("closes the user's connections with 4403 (or 4401 with reconnect), and only theirs; admin only", async () => {
    const backend = await import('node:http').then(({ createServer }) => {
      const server = createServer((req, res) => {
        let text = '';
        req.on('data', (c: Buffer) => {
          text += c.toString();
        });
        req.on('end', () => res.end(JSON.stringify(PROXY_USERS(JSON.parse(text).token))));
      });
      return new Promise<typeof server>((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
    });
    const address = backend.address() as import('node:net').AddressInfo;
    try {
      await using t = await startTestHub({ auth: { connectProxy: { url: `http://127.0.0.1:${address.port}/` } } });
      const [ada1, ada2, bo] = [
        await connectAs(t.wsUrl, 'ada'),
        await connectAs(t.wsUrl, 'ada'),
        await connectAs(t.wsUrl, 'bo'),
      ];
      expect((await t.api('/api/users/ada/disconnect', { key: 'publish', body: {} })).status).toBe(403);
      const answer = await t.api('/api/users/ada/disconnect', { key: 'admin', body: {} });
      expect(answer).toEqual({ status: 202, body: { user: 'ada', code: 4403 } });
      expect(await withDeadline(Promise.all([ada1.closed, ada2.closed]), 5_000, 'ada closed')).toEqual([
        { code: 4403, reason: 'disconnected by the server' },
        { code: 4403, reason: 'disconnected by the server' },
      ]);
      const again = await t.api('/api/users/bo/disconnect', {
        key: 'admin',
        body: { reconnect: true, reason: 'revoked' },
      });
      expect(again.body).toEqual({ user: 'bo', code: 4401 });
      expect(await withDeadline(bo.closed, 5_000, 'bo closed')).toEqual({ code: 4401, reason: 'revoked' });
      // the order topic is out of reach of the API: not even a valid topic name ('$')
      const sneaky = await t.api('/api/publish', {
        key: 'admin',
        body: { topic: '$oxidite-hub:disconnect', data: {} },
      });
      expect(sneaky.body?.['error'].code).toBe('invalid');
    } finally {
      backend.closeAllConnections();
      backend.close();
    }
  });
});
