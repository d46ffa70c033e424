import { describe, expect, it } from 'vitest';
import type { SubscribedInfo } from '../src/index';
import { collect, connect, nextState, startProxy, startServer, waitFor } from './support/harness';

/** A promise and the function that settles it. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => {};
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describe('signals of a restored connection', () => {
  it('turns open only once the server confirmed the resubscribes, after each says it recovered', async () => {
    const hookCalled = deferred();
    const gate = deferred();
    let subscribes = 0;
    const server = await startServer({
      authorize: async ({ action }) => {
        if (action === 'subscribe' && ++subscribes === 2) {
          hookCalled.resolve();
          await gate.promise; // hold the resubscribe after the cut
        }
        return true;
      },
    });
    const proxy = await startProxy(server.port);
    const client = connect(proxy.url);
    const numbers = collect(client, 'numbers');
    await numbers.sub.ready;
    await server.rt.publish('numbers', { n: 1 });
    await numbers.count(1);

    const seen: string[] = [];
    numbers.sub.on('subscribed', (info: SubscribedInfo) => seen.push(`subscribed:${info.isResumed}:${info.recovered}`));
    client.on('state', (change) => seen.push(change.to));
    const open = nextState(client, 'open');
    proxy.cut();
    await hookCalled.promise; // the resubscribe reached the server; it has not answered yet
    expect(client.state).toBe('reconnecting');
    expect(numbers.sub.state).toBe('subscribing');
    gate.resolve();
    await open;
    expect(numbers.sub.state).toBe('subscribed');
    expect(seen).toEqual(['reconnecting', 'subscribed:true:true', 'open']);
  });

  it('says recovered: false when history no longer covers the gap', async () => {
    const server = await startServer();
    const proxy = await startProxy(server.port);
    const client = connect(proxy.url);
    const nohist = collect(client, 'nohist');
    const first = await waitFor<SubscribedInfo>((done) => nohist.sub.on('subscribed', done), 'first subscribed');
    expect(first).toMatchObject({ isResumed: false, recovered: true });
    await server.rt.publish('nohist', { n: 1 });
    await nohist.count(1);

    proxy.refuse(true);
    const away = nextState(client, 'reconnecting');
    proxy.cut();
    await away;
    await server.rt.publish('nohist', { n: 2 });
    const again = waitFor<SubscribedInfo>((done) => nohist.sub.on('subscribed', done), 'resubscribed');
    proxy.refuse(false);
    expect(await again).toMatchObject({ isResumed: true, recovered: false });
  });
});
