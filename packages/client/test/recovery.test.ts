import { describe, expect, it } from 'vitest';
import type { ResetInfo } from '../src/index';
import { collect, connect, nextState, recordStates, startProxy, startServer, waitFor } from './support/harness';

describe('gap-free recovery', () => {
  it('delivers 1..N exactly once and in order while the connection is cut 5 times', async () => {
    const server = await startServer();
    const proxy = await startProxy(server.port);
    const client = connect(proxy.url);
    const numbers = collect(client, 'numbers');
    await numbers.sub.ready;
    const states = recordStates(client);
    let resets = 0;
    numbers.sub.on('reset', () => resets++);

    const perRound = 200;
    const rounds = 5;
    let n = 0;
    for (let round = 1; round <= rounds; round++) {
      // Half the round is published while connected, some of it still in flight when the cut comes…
      for (let i = 0; i < perRound / 2; i++) await server.rt.publish('numbers', { n: ++n });
      proxy.cut();
      // …and half while the client is away or busy resubscribing; history covers both.
      for (let i = 0; i < perRound / 2; i++) await server.rt.publish('numbers', { n: ++n });
      await numbers.count(n, 20_000);
    }
    // One more live message after the last recovery.
    await server.rt.publish('numbers', { n: ++n });
    await numbers.count(n);

    const expected = Array.from({ length: n }, (_, i) => ({ n: i + 1 }));
    expect(numbers.data()).toEqual(expected);
    const offsets = numbers.messages.map((m) => Number(m.meta.offset.split(':')[1]));
    expect(offsets).toEqual(expected.map((e) => e.n));
    expect(states.filter((s) => s.to === 'reconnecting')).toHaveLength(rounds);
    expect(states.filter((s) => s.to === 'reconnecting').every((s) => s.code === 1006)).toBe(true);
    expect(resets).toBe(0); // every gap was recovered from history
  });

  it('emits reset when history no longer covers the gap, and continues from the new position', async () => {
    const server = await startServer();
    const proxy = await startProxy(server.port);
    const client = connect(proxy.url);
    const nohist = collect(client, 'nohist');
    await nohist.sub.ready;
    await server.rt.publish('nohist', { n: 1 });
    await nohist.count(1);

    // Keep the client out while n=2 is published: a topic without history cannot replay it.
    proxy.refuse(true);
    const away = nextState(client, 'reconnecting');
    proxy.cut();
    await away;
    await server.rt.publish('nohist', { n: 2 });
    const reset = waitFor<ResetInfo>((done) => nohist.sub.on('reset', done), 'reset');
    proxy.refuse(false);
    const { offset } = await reset;
    expect(offset.endsWith(':2')).toBe(true);

    await server.rt.publish('nohist', { n: 3 });
    await nohist.count(2);
    expect(nohist.data()).toEqual([{ n: 1 }, { n: 3 }]);
  });
});
