import { afterEach, describe, expect, it } from 'vitest';
import { createEventStream, type EventStreamClient, type RealtimeError } from '../src/index';
import { startProxy, startServer } from './support/harness';
import { topics } from './support/topics';

const streams: EventStreamClient[] = [];
afterEach(() => {
  for (const stream of streams.splice(0)) stream.close();
});

/** Resolves when `predicate` holds, re-checked by `poke()` from the handlers; rejects after a deadline. */
function waiter(predicate: () => boolean, timeout = 5_000) {
  let poke = (): void => {};
  const done = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out waiting for SSE events')), timeout);
    poke = () => {
      if (predicate()) {
        clearTimeout(timer);
        resolve();
      }
    };
  });
  return { done, poke };
}

describe('createEventStream (typed SSE client)', () => {
  it('receives typed, validated messages of several topics', async () => {
    const server = await startServer();
    const numbers: number[] = [];
    const chats: string[] = [];
    const wait = waiter(() => numbers.length === 2 && chats.length === 1);
    let subscribed = 0;
    const ready = waiter(() => subscribed === 2);
    const stream = createEventStream(`http://127.0.0.1:${server.port}/events`, {
      topics,
      handlers: {
        numbers: (data) => {
          numbers.push(data.n);
          wait.poke();
        },
        chat: (data) => {
          chats.push(data.text);
          wait.poke();
        },
      },
      onSubscribed: () => {
        subscribed++;
        ready.poke();
      },
    });
    streams.push(stream);
    expect(stream.topics).toEqual(['numbers', 'chat']);
    await ready.done;
    await server.rt.publish('numbers', { n: 1 });
    await server.rt.publish('chat', { text: 'hello' });
    await server.rt.publish('numbers', { n: 2 });
    await wait.done;
    expect(numbers).toEqual([1, 2]);
    expect(chats).toEqual(['hello']);
  });

  it('resumes after a cut with Last-Event-ID: every message once, in order', async () => {
    const server = await startServer({ sseRetry: 20 });
    const proxy = await startProxy(server.port);
    const seen: number[] = [];
    const total = 30;
    const wait = waiter(() => seen.length >= total, 15_000);
    let subscribed = 0;
    const firstSubscribe = waiter(() => subscribed >= 1);
    const resubscribed = waiter(() => subscribed >= 2, 10_000);
    streams.push(
      createEventStream(`http://127.0.0.1:${proxy.port}/events`, {
        topics,
        handlers: {
          numbers: (data) => {
            seen.push(data.n);
            wait.poke();
          },
        },
        onSubscribed: () => {
          subscribed++;
          firstSubscribe.poke();
          resubscribed.poke();
        },
      }),
    );
    await firstSubscribe.done;
    for (let n = 1; n <= 10; n++) await server.rt.publish('numbers', { n });
    proxy.cut();
    for (let n = 11; n <= 20; n++) await server.rt.publish('numbers', { n });
    await resubscribed.done;
    for (let n = 21; n <= total; n++) await server.rt.publish('numbers', { n });
    await wait.done;
    expect(seen).toEqual(Array.from({ length: total }, (_, i) => i + 1));
  });

  it('reports a refused topic through onError', async () => {
    const server = await startServer({ authorize: ({ topic }) => topic !== 'locked' });
    const errors: RealtimeError[] = [];
    const wait = waiter(() => errors.length === 1);
    streams.push(
      createEventStream(`http://127.0.0.1:${server.port}/events`, {
        topics,
        handlers: { locked: () => {} },
        onError: (error) => {
          errors.push(error);
          wait.poke();
        },
      }),
    );
    await wait.done;
    expect(errors[0]?.code).toBe('forbidden');
  });
});
