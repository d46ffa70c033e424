import type { Principal } from '@oxidite/server';
import { describe, expect, it } from 'vitest';
import type { RealtimeError } from '../src/index';
import { connect, createCondition, nextState, startProxy, startServer, waitFor } from './support/harness';

describe('tokens', () => {
  it('offers a fresh token from the provider on every connection, as a subprotocol', async () => {
    const tokens: (string | undefined)[] = [];
    const server = await startServer({
      auth: ({ token }) => {
        tokens.push(token);
        return token ? { id: 'u1' } : null;
      },
    });
    const proxy = await startProxy(server.port);
    let n = 0;
    const client = connect(proxy.url, { token: async () => `tök-${++n}` });
    await client.ready;
    const back = nextState(client, 'open');
    proxy.cut();
    await back;
    expect(tokens).toEqual(['tök-1', 'tök-2']);
  });

  it('answers the server’s refresh with a fresh token from the provider', async () => {
    const verified: string[] = [];
    const arrived = createCondition();
    const server = await startServer({
      // A 2 s token: the server asks for a fresh one at half its life (PROTOCOL.md §4.5).
      auth: (): Principal => ({ id: 'u1', expiresAt: Date.now() + 2_000 }),
      verifyToken: async (token) => {
        verified.push(token);
        arrived.notify();
        return { id: 'u1', expiresAt: Date.now() + 3_600_000 };
      },
    });
    let n = 0;
    const client = connect(server.url, { token: () => `token-${++n}` });
    const errors: RealtimeError[] = [];
    client.on('error', (error) => errors.push(error));
    await arrived.until(() => verified.length > 0, 'an auth envelope');
    expect(verified).toEqual(['token-2']);
    // The ack comes after the verification; a round trip later it has been processed.
    await client.rpc('echo', { x: 1 }).catch(() => {});
    expect(errors).toEqual([]);
    expect(client.state).toBe('open');
  });

  it('reports a refused refresh as an error event (the server then closes with 4401)', async () => {
    const server = await startServer({
      auth: (): Principal => ({ id: 'u1', expiresAt: Date.now() + 2_000 }),
      verifyToken: async () => null,
    });
    let n = 0;
    const client = connect(server.url, { token: () => `token-${++n}` });
    const error = await waitFor<RealtimeError>((done) => client.on('error', done), 'an error event');
    expect(error).toMatchObject({ code: 'unauthorized' });
  });
});
