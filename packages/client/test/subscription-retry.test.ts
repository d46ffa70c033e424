import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocketServer } from 'ws';
import type { Subscription, SubscriptionState, SubscriptionStateChange } from '../src/index';
import { collect, connect, nextState, onTeardown, startProxy, startServer, waitFor } from './support/harness';

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

const LIMITS = { maxPayload: 65_536, maxSubscriptions: 100 };

describe('subscription retry schedule', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a subscribe refused by the frame rate limit goes live after retryAfter; refused RPCs reject rate_limited', async () => {
    const server = await startServer({
      security: { rateLimits: { messagesPerConnection: { capacity: 5, refillPerSecond: 20 } } },
    });
    server.rt.rpc('echo', (data) => data);
    const client = connect(server.url);
    await client.ready;
    const calls = Array.from({ length: 8 }, (_, x) =>
      client.rpc('echo', { x }).then(
        () => 'ok',
        (e: { code: string }) => e.code,
      ),
    );
    const numbers = collect(client, 'numbers');
    const outcomes = await Promise.all(calls);
    expect(outcomes.filter((o) => o === 'ok').length).toBeGreaterThan(0);
    expect(new Set(outcomes)).toEqual(new Set(['ok', 'rate_limited'])); // never a timeout
    await numbers.sub.ready; // was stuck `subscribing` for good: the refusal had no id
    await server.rt.publish('numbers', { n: 1 });
    await numbers.count(1);
  });

  it('waits at least retryAfter before sending a rate-limited subscribe again', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', handleProtocols: () => 'oxidite.v1' });
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    onTeardown(() => new Promise<void>((resolve) => wss.close(() => resolve())));
    let subscribes = 0;
    wss.on('connection', (ws) => {
      ws.send(JSON.stringify({ type: 'welcome', protocol: 1, session: 's1', heartbeat: 0, limits: LIMITS }));
      ws.on('message', (raw) => {
        const { id, type, topic } = JSON.parse(String(raw)) as { id: number; type: string; topic: string };
        if (type !== 'subscribe') return;
        const answer =
          ++subscribes === 1
            ? { type: 'error', id, code: 'rate_limited', message: 'slow down', retryAfter: 5_000, topic }
            : { type: 'subscribed', id, topic, offset: 'e1:0', recovered: true };
        ws.send(JSON.stringify(answer));
      });
    });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { port } = wss.address() as { port: number };
    // minDelay 0 takes the jitter out: the delay is the server's retryAfter exactly.
    const client = connect(`ws://127.0.0.1:${port}/ws`, { reconnect: { minDelay: 0 } });
    const sub = client.subscribe('chat', () => {});
    const changes: SubscriptionStateChange[] = [];
    const retrying = waitFor((done) => sub.on('state', (c) => c.to === 'retrying' && done(c)), 'retrying');
    sub.on('state', (change) => changes.push(change));
    expect(await retrying).toMatchObject({ error: { code: 'rate_limited', retryAfter: 5_000 } });
    await vi.advanceTimersByTimeAsync(4_999);
    expect(sub.state).toBe('retrying');
    const confirmed = waitFor((done) => sub.on('subscribed', done), 'subscribed');
    await vi.advanceTimersByTimeAsync(1);
    expect(sub.state).toBe('subscribing');
    await confirmed;
    expect(changes.map((c) => c.to)).toEqual(['retrying', 'subscribing', 'subscribed']);
    expect(subscribes).toBe(2);
  });
});
