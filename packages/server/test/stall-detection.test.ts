import { createTcpProxy } from '@oxidite/test-utils';
import { describe, expect, it } from 'vitest';
import { useTestResources } from './support/clients';
import { startTestServer } from './support/test-server';

const t = useTestResources();

describe('server-side stall detection', () => {
  it('cuts a connection whose link stalls (a black-holing proxy), and keeps the healthy one', async () => {
    const server = t.track(await startTestServer({ heartbeatInterval: 50, connectionTimeout: 150 }));
    const proxy = await createTcpProxy(server.port);
    try {
      const stalled = await t.connect(`ws://127.0.0.1:${proxy.port}/ws`);
      const healthy = await t.connect(server.url);
      const welcome = stalled.received[0];
      const session = welcome?.type === 'welcome' ? welcome.session : '';
      const cut = new Promise<{ code: number }>((resolve) => {
        server.rt.on('disconnect', (connection, close) => {
          if (connection.id === session) resolve(close);
        });
      });
      proxy.stall();
      expect((await cut).code).toBe(1006);
      expect(server.rt.stats().connections.websocket).toBe(1);
      healthy.send({ type: 'ping' });
      await healthy.next('pong');
    } finally {
      await proxy.close();
    }
  });
});
