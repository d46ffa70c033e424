import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createEventStream,
  type EventStreamClient,
  type EventStreamOptions,
  type EventStreamStateChange,
  type RealtimeError,
} from '../src/index';
import { startFrontServer } from './support/front-server';
import { createCondition, onTeardown, startProxy, startServer } from './support/harness';
import { type Topics, topics } from './support/topics';

const streams: EventStreamClient[] = [];
afterEach(() => {
  for (const stream of streams.splice(0)) stream.close();
});

/** A stream of `numbers` that records messages, states and errors, with a condition to wait on. */
function watch(url: string, options: Partial<EventStreamOptions<Topics>> = {}) {
  const seen: number[] = [];
  const states: EventStreamStateChange[] = [];
  const errors: RealtimeError[] = [];
  const changed = createCondition();
  const stream = createEventStream(url, {
    topics,
    handlers: {
      numbers: (data) => {
        seen.push(data.n);
        changed.notify();
      },
    },
    onState: (change) => {
      states.push(change);
      changed.notify();
    },
    onError: (error) => {
      errors.push(error);
      changed.notify();
    },
    reconnect: { minDelay: 10, maxDelay: 50 },
    ...options,
  });
  streams.push(stream);
  const until = (check: () => boolean, what: string) => changed.until(check, what);
  return { stream, seen, states, errors, until };
}

describe('createEventStream reconnects by itself', () => {
  it('retries through 503, 502, a 200 that is no stream and 429 (Retry-After), then resumes and receives', async () => {
    const server = await startServer({ sseRetry: 0 });
    const failures = [503, 502, 200, 429];
    const front = await startFrontServer(server.port, (_req, index) => {
      const status = failures[index - 1];
      if (status === undefined) return 'pass';
      return status === 429 ? { status, headers: { 'retry-after': '0' } } : { status };
    });
    const { stream, seen, states, errors, until } = watch(`http://127.0.0.1:${front.port}/events`);
    await until(() => stream.state === 'open', 'open after three refusals');
    await server.rt.publish('numbers', { n: 1 });
    await until(() => seen.length === 1, 'a message');
    expect(states.map((s) => [s.to, s.status])).toEqual([
      ['reconnecting', 503],
      ['open', undefined],
    ]);
    expect(errors.map((e) => e.code)).toEqual(['disconnected', 'disconnected', 'disconnected', 'rate_limited']);
    expect(errors.map((e) => e.message)).toEqual([
      'the server answered HTTP 503',
      'the server answered HTTP 502',
      // Say what came back: the usual cause is a URL the SSE handler is not mounted on.
      'the server answered HTTP 200 with text/plain, not an event stream',
      'the server answered HTTP 429',
    ]);
    expect(front.urls).toHaveLength(5);
  });

  it('comes back after a cut and refused reconnects through the TCP proxy, resuming from the last event id', async () => {
    const server = await startServer({ sseRetry: 0 });
    const proxy = await startProxy(server.port);
    const { stream, seen, states, until } = watch(`http://127.0.0.1:${proxy.port}/events`);
    await until(() => stream.state === 'open', 'open');
    await server.rt.publish('numbers', { n: 1 });
    await until(() => seen.length === 1, 'n=1');
    proxy.refuse(true);
    proxy.cut();
    await until(() => stream.state === 'reconnecting', 'reconnecting');
    await server.rt.publish('numbers', { n: 2 }); // while the client is away: history covers it
    proxy.refuse(false);
    await until(() => seen.length === 2 && stream.state === 'open', 'n=2 after the reconnect');
    await server.rt.publish('numbers', { n: 3 });
    await until(() => seen.length === 3, 'n=3');
    expect(seen).toEqual([1, 2, 3]);
    expect(states.map((s) => s.to)).toEqual(['open', 'reconnecting', 'open']);
  });

  it('receives what a restarted server (a new epoch) published before the stream came back', async () => {
    const first = await startServer({ sseRetry: 0 });
    const proxy = await startProxy(first.port);
    const { stream, seen, until } = watch(`http://127.0.0.1:${proxy.port}/events`);
    await until(() => stream.state === 'open', 'open');
    await first.rt.publish('numbers', { n: 1 });
    await until(() => seen.length === 1, 'n=1');
    proxy.refuse(true);
    proxy.cut();
    await first.close();
    const second = await startServer({ sseRetry: 0 }, first.port); // the proxy's target: a new epoch
    for (let n = 101; n <= 103; n++) await second.rt.publish('numbers', { n });
    proxy.refuse(false);
    await until(() => seen.length === 4, 'the new epoch replayed');
    await second.rt.publish('numbers', { n: 104 });
    await until(() => seen.length === 5, 'n=104');
    expect(seen).toEqual([1, 101, 102, 103, 104]);
  });

  it('asks a token function again on every reconnect, and once more at once after a 401', async () => {
    const server = await startServer({ sseRetry: 0 });
    const front = await startFrontServer(server.port, (req) =>
      req.url?.includes('access_token=fresh') ? 'pass' : { status: 401 },
    );
    const tokens = ['stale', 'fresh', 'fresh'];
    let calls = 0;
    const { stream, states, until } = watch(`http://127.0.0.1:${front.port}/events`, {
      token: async () => tokens[calls++] ?? 'fresh',
    });
    await until(() => stream.state === 'open', 'open with the fresh token');
    expect(calls).toBe(2);
    expect(states.map((s) => [s.to, s.status])).toEqual([
      ['reconnecting', 401],
      ['open', undefined],
    ]);
  });

  it.each([
    ['403', 403, () => 'token'],
    ['a second 401 in a row', 401, () => 'token'],
  ])('stops for good on %s', async (_name, status, token) => {
    const server = await startServer();
    const front = await startFrontServer(server.port, () => ({ status }));
    const { stream, states, errors, until } = watch(`http://127.0.0.1:${front.port}/events`, { token });
    await until(() => stream.state === 'closed', 'closed');
    expect(states.at(-1)).toMatchObject({ to: 'closed', status });
    expect(errors.at(-1)?.code).toBe(status === 403 ? 'forbidden' : 'unauthorized');
    expect(front.urls).toHaveLength(status === 403 ? 1 : 2);
  });
});

describe('createEventStream gives up', () => {
  it('with no dangling colon when the last close had no reason', async () => {
    // A server that ends every stream at once with `close` 1013 (try later) and an empty reason.
    const http = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end('event: close\ndata: {"type":"close","code":1013,"reason":""}\n\n');
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    onTeardown(() => new Promise((resolve) => http.close(resolve)));
    const { port } = http.address() as AddressInfo;
    const { stream, states, until } = watch(`http://127.0.0.1:${port}/events`, { reconnect: { maxRetries: 1 } });
    await until(() => stream.state === 'closed', 'closed');
    expect(states.at(-1)).toEqual({ from: 'reconnecting', to: 'closed', reason: 'gave up after 1 retries' });
  });
});

describe('createEventStream notices a dead connection', () => {
  it('replaces a stalled stream after idleTimeout without a byte (TCP proxy black hole)', async () => {
    const server = await startServer({ sseRetry: 0, heartbeatInterval: 100 });
    const proxy = await startProxy(server.port);
    const { stream, seen, states, until } = watch(`http://127.0.0.1:${proxy.port}/events`, { idleTimeout: 1_000 });
    await until(() => stream.state === 'open', 'open');
    proxy.stall();
    await until(() => stream.state === 'reconnecting', 'reconnecting after the stall');
    expect(states.at(-1)?.reason).toBe('connection lost');
    proxy.restore();
    await until(() => stream.state === 'open', 'open again');
    await server.rt.publish('numbers', { n: 1 });
    await until(() => seen.length === 1, 'a message after the stall');
  });
});
