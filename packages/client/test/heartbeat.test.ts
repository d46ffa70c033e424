import { describe, expect, it } from 'vitest';
import { collect, connect, nextState, startProxy, startServer } from './support/harness';

describe('heartbeat', () => {
  it('notices a black-holed connection, and reconnects through the proxy once it forwards again', async () => {
    const server = await startServer({ heartbeatInterval: 200 });
    const proxy = await startProxy(server.port);
    const client = connect(proxy.url, { heartbeatTimeout: 300, reconnect: { connectionTimeout: 1_000 } });
    const chat = collect(client, 'chat');
    await chat.sub.ready;

    const dropped = nextState(client, 'reconnecting');
    proxy.stall(); // sockets stay open, nothing gets through: no close event will ever come
    expect(await dropped).toMatchObject({ from: 'open', to: 'reconnecting', code: 1006, reason: 'heartbeat timeout' });

    const reopened = nextState(client, 'open');
    proxy.restore();
    await reopened;
    // Published whether or not the resubscribe is through yet: recovery delivers it either way.
    await server.rt.publish('chat', { text: 'still here' });
    await chat.count(1);
    expect(chat.data()).toEqual([{ text: 'still here' }]);
    expect(chat.sub.state).toBe('subscribed');
  });

  it('gives up on an attempt that gets no welcome within connectionTimeout', async () => {
    const server = await startServer();
    const proxy = await startProxy(server.port);
    proxy.stall(); // TCP connects to the proxy, the WebSocket handshake never completes
    const client = connect(proxy.url, { reconnect: { connectionTimeout: 200 } });
    expect(await nextState(client, 'reconnecting')).toMatchObject({ code: 1006, reason: 'connection timeout' });
    const opened = nextState(client, 'open');
    proxy.restore();
    await opened;
  });
});
