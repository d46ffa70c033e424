import { describe, expect, it } from 'vitest';
import type { ResetInfo } from '../src/index';
import { collect, connect, nextState, recordStates, startServer, waitFor } from './support/harness';

describe('reconnect after a server restart', () => {
  it('reconnects on 1001, resubscribes, and resets a subscription whose history died with the server', async () => {
    const first = await startServer();
    const client = connect(first.url);
    const numbers = collect(client, 'numbers');
    await numbers.sub.ready;
    await first.rt.publish('numbers', { n: 1 });
    await numbers.count(1);
    const states = recordStates(client);

    const dropped = nextState(client, 'reconnecting');
    await first.close();
    expect(await dropped).toMatchObject({ from: 'open', to: 'reconnecting', code: 1001 });

    // A new server on the same port: a new memory broker, so a new epoch and no history.
    const reset = waitFor<ResetInfo>((done) => numbers.sub.on('reset', done), 'reset');
    const reopened = nextState(client, 'open');
    const second = await startServer({}, first.port);
    await reopened;
    const { offset } = await reset;
    expect(numbers.sub.state).toBe('subscribed');
    expect(numbers.sub.offset).toBe(offset);

    await second.rt.publish('numbers', { n: 2 });
    await numbers.count(2);
    expect(numbers.data()).toEqual([{ n: 1 }, { n: 2 }]);
    expect(states.map((s) => s.to)).toEqual(['reconnecting', 'open']);
  });
});
