import { describe, expect, it } from 'vitest';
import type { Subscription, SubscriptionState } from '../src/index';
import { collect, connect, nextState, startProxy, startServer } from './support/harness';

/** Records every state a subscription passes through. */
function recordSubStates(sub: Subscription): SubscriptionState[] {
  const states: SubscriptionState[] = [];
  sub.on('state', (change) => states.push(change.to));
  return states;
}

describe('subscription retry after a transient server failure', () => {
  it('retries a resubscribe the authorize hook failed once (internal), and misses nothing', async () => {
    let subscribes = 0;
    const server = await startServer({
      authorize: ({ action, topic }) => {
        if (action === 'subscribe' && topic === 'numbers' && ++subscribes === 2) {
          throw new Error('database lookup timed out'); // only the resubscribe after the cut
        }
        return true;
      },
    });
    const proxy = await startProxy(server.port);
    const client = connect(proxy.url);
    const numbers = collect(client, 'numbers');
    await numbers.sub.ready;
    const states = recordSubStates(numbers.sub);
    await server.rt.publish('numbers', { n: 1 });
    await numbers.count(1);

    const back = nextState(client, 'open');
    proxy.cut();
    await back;
    await server.rt.publish('numbers', { n: 2 });
    await server.rt.publish('numbers', { n: 3 });
    await numbers.count(3);

    expect(numbers.data()).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(numbers.sub.state).toBe('subscribed');
    expect(states).toEqual(['subscribing', 'retrying', 'subscribing', 'subscribed']);
    expect(subscribes).toBe(3);
  });

  it('ends a subscription for good on a final refusal (forbidden)', async () => {
    const server = await startServer({ authorize: ({ topic }) => topic !== 'locked' });
    const client = connect(server.url);
    const locked = collect(client, 'locked');
    const states = recordSubStates(locked.sub);
    await expect(locked.sub.ready).rejects.toMatchObject({ code: 'forbidden' });
    expect(locked.sub.state).toBe('failed');
    expect(states).toEqual(['failed']);
  });
});
