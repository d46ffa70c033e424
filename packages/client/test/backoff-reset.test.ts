import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocketServer } from 'ws';
import { collect, connect, nextState, onTeardown, startProxy, startServer } from './support/harness';

/** The attempt number of every backoff delay the client asked for (0 = the first step). */
const attempts = vi.hoisted((): number[] => []);
vi.mock('../src/connection/backoff', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../src/connection/backoff')>();
  return {
    ...actual,
    backoffDelay: (attempt: number, ...rest: [Parameters<typeof actual.backoffDelay>[1]]) => {
      attempts.push(attempt);
      return actual.backoffDelay(attempt, ...rest);
    },
  };
});

afterEach(() => {
  attempts.length = 0;
});

const welcome = JSON.stringify({
  type: 'welcome',
  protocol: 1,
  session: 's1',
  heartbeat: 0,
  limits: { maxPayload: 65_536, maxSubscriptions: 100 },
});

/** A server that accepts, says `welcome`, and closes at once: a connection that never proves healthy. */
async function flakyServer(): Promise<string> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', handleProtocols: () => 'oxidite.v1' });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  wss.on('connection', (ws) => {
    ws.send(welcome);
    ws.close(1011, 'overloaded');
  });
  onTeardown(
    () =>
      new Promise<void>((resolve) => {
        for (const ws of wss.clients) ws.terminate();
        wss.close(() => resolve());
      }),
  );
  return `ws://127.0.0.1:${(wss.address() as { port: number }).port}/ws`;
}

describe('backoff after repeated cuts', () => {
  it('starts from the first step after every connection that resubscribed, however short', async () => {
    const server = await startServer();
    const proxy = await startProxy(server.port);
    // minUptime far beyond the test: only the confirmed resubscribes can reset the count.
    const client = connect(proxy.url, { reconnect: { minUptime: 600_000 } });
    const numbers = collect(client, 'numbers');
    await numbers.sub.ready;
    for (let cut = 1; cut <= 5; cut++) {
      const back = nextState(client, 'open');
      proxy.cut();
      await back;
      // A message through the restored subscription: the resubscribe was confirmed before the next cut.
      await server.rt.publish('numbers', { n: cut });
      await numbers.count(cut);
    }
    expect(attempts).toEqual([0, 0, 0, 0, 0]);
  });

  it('keeps growing the delay against a server that accepts and closes at once', async () => {
    const url = await flakyServer();
    for (const withSubscription of [true, false]) {
      attempts.length = 0;
      let calls = 0;
      let seventh = (): void => {};
      const reachedSeventh = new Promise<void>((resolve) => {
        seventh = resolve;
      });
      // The URL provider runs before every attempt: the 7th comes after six backoff delays.
      const client = connect('unused', {
        url: () => {
          if (++calls === 7) seventh();
          return url;
        },
        reconnect: { minDelay: 1, maxDelay: 2, minUptime: 600_000 },
      });
      if (withSubscription) collect(client, 'numbers');
      await reachedSeventh;
      client.close();
      expect(attempts.slice(0, 6)).toEqual([0, 1, 2, 3, 4, 5]);
    }
  });
});
