import { RealtimeError } from '@oxidite/protocol';
import { describe, expect, it } from 'vitest';
import { useTestResources } from '../support/clients';
import { RawClient } from '../support/raw-client';
import { startTestServer } from '../support/test-server';

const t = useTestResources();

/** One close path (issue #17, item 3): every close the server makes is counted by its code. */
describe('stats().closes', () => {
  it('counts every close the server makes, by code: its own and those ws makes for protocol errors', async () => {
    const server = t.track(
      await startTestServer({
        maxPayload: 1_024,
        auth: ({ token }) => {
          if (token === 'banned') throw new RealtimeError('forbidden', 'banned');
          return token === 'ok' ? { id: 'ann' } : null;
        },
      }),
    );
    const as = (token: string, protocols?: string[]) =>
      t.adopt(
        new RawClient(server.url, {
          headers: { authorization: `Bearer ${token}` },
          ...(protocols ? { protocols } : {}),
        }),
      );

    expect((await as('ok', ['oxidite.v2']).closed).code).toBe(1008);
    expect((await as('nope').closed).code).toBe(4401);
    expect((await as('banned').closed).code).toBe(4403);

    const tooBig = as('ok');
    await tooBig.next('welcome');
    tooBig.send(JSON.stringify({ type: 'publish', topic: 'chat', data: { text: 'x'.repeat(1_500) } }));
    expect((await tooBig.closed).code).toBe(1009);

    const notUtf8 = as('ok');
    await notUtf8.next('welcome');
    notUtf8.ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    expect((await notUtf8.closed).code).toBe(1007);

    const flooder = as('ok');
    await flooder.next('welcome');
    for (let i = 0; i < 10_000 && flooder.ws.readyState === 1; i++) flooder.send({ type: 'ping' });
    expect((await flooder.closed).code).toBe(4429);

    const stayer = as('ok');
    await stayer.next('welcome');
    await server.close();
    expect((await stayer.closed).code).toBe(1001);
    expect(server.rt.stats().closes).toEqual({ 1001: 1, 1007: 1, 1008: 1, 1009: 1, 4401: 1, 4403: 1, 4429: 1 });
  });
});
