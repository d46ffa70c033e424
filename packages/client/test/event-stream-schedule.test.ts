import { afterEach, describe, expect, it, vi } from 'vitest';
import { createEventStream, type EventStreamClient } from '../src/index';
import { startFrontServer } from './support/front-server';
import { createCondition, startServer } from './support/harness';
import { topics } from './support/topics';

const streams: EventStreamClient[] = [];
afterEach(() => {
  for (const stream of streams.splice(0)) stream.close();
  vi.useRealTimers();
});

/**
 * The reconnect scheduler with fake timers (the HTTP traffic is real): `minDelay: 0` takes the
 * jitter out, so the delay is exactly the server's floor. The token function runs at the start
 * of every attempt, so its calls count the attempts.
 */
async function streamThrough(port: number) {
  let attempts = 0;
  const changed = createCondition();
  const stream = createEventStream(`http://127.0.0.1:${port}/events`, {
    topics,
    handlers: { numbers: () => {} },
    token: () => {
      attempts++;
      return 'token';
    },
    onState: () => changed.notify(),
    reconnect: { minDelay: 0 },
  });
  streams.push(stream);
  return { stream, attempts: () => attempts, changed };
}

describe('createEventStream reconnect schedule', () => {
  it('waits the Retry-After of a 503 before the next attempt', async () => {
    const server = await startServer();
    const front = await startFrontServer(server.port, (_req, index) =>
      index === 1 ? { status: 503, headers: { 'retry-after': '5' } } : 'pass',
    );
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { stream, attempts, changed } = await streamThrough(front.port);
    await changed.until(() => stream.state === 'reconnecting', 'reconnecting');
    await vi.advanceTimersByTimeAsync(4_999);
    expect(attempts()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(attempts()).toBe(2);
  });

  it("waits the server's retry: after a stream ends", async () => {
    const server = await startServer({ sseRetry: 7_000 });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { stream, attempts, changed } = await streamThrough(server.port);
    await changed.until(() => stream.state === 'open', 'open');
    await server.close(); // ends the stream
    await changed.until(() => stream.state === 'reconnecting', 'reconnecting');
    await vi.advanceTimersByTimeAsync(6_999);
    expect(attempts()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(attempts()).toBe(2);
  });
});
