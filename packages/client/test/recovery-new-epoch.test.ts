import { describe, expect, it } from 'vitest';
import type { ResetInfo } from '../src/index';
import { collect, connect, startServer, waitFor } from './support/harness';

describe('resubscribing to a restarted server (a new epoch)', () => {
  it('receives what the new server published before the client came back, after a reset', async () => {
    const first = await startServer();
    let current = first.url;
    // The second server is on another port: the client asks for the URL on every attempt, and
    // gets it only once the new server has published (issue #15, item 3).
    let republish = (): void => {};
    const republished = new Promise<void>((resolve) => {
      republish = resolve;
    });
    const client = connect('unused', {
      url: async () => {
        if (current === first.url) return current;
        await republished;
        return current;
      },
    });
    const numbers = collect(client, 'numbers');
    await numbers.sub.ready;
    await first.rt.publish('numbers', { n: 1 });
    await numbers.count(1);

    const second = await startServer();
    current = second.url;
    await first.close();
    for (let n = 101; n <= 103; n++) await second.rt.publish('numbers', { n });
    const reset = waitFor<ResetInfo>((done) => numbers.sub.on('reset', done), 'reset');
    republish();
    await reset;
    await numbers.count(4);
    expect(numbers.data()).toEqual([{ n: 1 }, { n: 101 }, { n: 102 }, { n: 103 }]);
    await second.rt.publish('numbers', { n: 104 });
    await numbers.count(5);
    expect(numbers.data().at(-1)).toEqual({ n: 104 });
  });
});
