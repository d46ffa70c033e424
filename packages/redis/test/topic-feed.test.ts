import type { StreamOffset } from '@oxidite/protocol';
import type { BrokerListener, HistoryResult, PresenceChange, StreamMessage } from '@oxidite/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TopicFeed } from '../src/topic-feed';

const message = (seq: number, epoch = 'e1'): StreamMessage => ({
  topic: 't',
  offset: { epoch, seq },
  ts: 0,
  payload: { json: String(seq) },
});

/** A listener that records messages and gaps in one list, in the order they arrive. */
function recorder(): BrokerListener & { readonly seen: string[] } {
  const seen: string[] = [];
  return {
    seen,
    onMessage: (m) => seen.push(`${m.offset.epoch}:${m.offset.seq}`),
    onPresence: (_change: PresenceChange) => {},
    onGap: () => seen.push('gap'),
  };
}

/** A stream holding seqs `first`..`seq` of `epoch`, read the way the broker's history script answers. */
function stream(state: { seq: number; first: number; epoch: string }) {
  return async (since: StreamOffset | undefined): Promise<HistoryResult> => {
    const position = { epoch: state.epoch, seq: state.seq };
    if (!since) return { messages: [], position, recovered: true };
    if (since.epoch !== state.epoch) {
      const all = Array.from({ length: state.seq - state.first + 1 }, (_, i) => message(state.first + i, state.epoch));
      return { messages: all, position, recovered: false };
    }
    if (since.seq + 1 < state.first) return { messages: [], position, recovered: false };
    const rest = Array.from({ length: state.seq - since.seq }, (_, i) => message(since.seq + 1 + i, state.epoch));
    return { messages: rest, position, recovered: true };
  };
}

describe('TopicFeed', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('passes successors on and drops duplicates', async () => {
    const listener = recorder();
    const feed = new TopicFeed({
      topic: 't',
      listener,
      read: stream({ seq: 0, first: 1, epoch: 'e1' }),
      onError: () => {},
      retryDelay: 10,
    });
    await feed.catchUp();
    for (const seq of [1, 2, 2, 1, 3]) feed.push(message(seq));
    expect(listener.seen).toEqual(['e1:1', 'e1:2', 'e1:3']);
  });

  it('parks live messages during the first read and delivers only those after the position', async () => {
    const listener = recorder();
    const feed = new TopicFeed({
      topic: 't',
      listener,
      read: stream({ seq: 5, first: 1, epoch: 'e1' }),
      onError: () => {},
      retryDelay: 10,
    });
    const live = feed.catchUp();
    feed.push(message(7));
    feed.push(message(5)); // already in the history the hub reads for its subscribers
    feed.push(message(6));
    await live;
    expect(listener.seen).toEqual(['e1:6', 'e1:7']);
  });

  it('fills a jump from the stream, in order, before what arrived meanwhile', async () => {
    const listener = recorder();
    const state = { seq: 1, first: 1, epoch: 'e1' };
    const feed = new TopicFeed({ topic: 't', listener, read: stream(state), onError: () => {}, retryDelay: 10 });
    await feed.catchUp();
    state.seq = 5;
    feed.push(message(5)); // 2..4 were lost on the channel
    state.seq = 6;
    feed.push(message(6));
    await feed.catchUp();
    expect(listener.seen).toEqual(['e1:2', 'e1:3', 'e1:4', 'e1:5', 'e1:6']);
  });

  it('reports a gap the stream no longer holds before anything after it', async () => {
    const listener = recorder();
    const state = { seq: 2, first: 1, epoch: 'e1' };
    const feed = new TopicFeed({ topic: 't', listener, read: stream(state), onError: () => {}, retryDelay: 10 });
    await feed.catchUp();
    Object.assign(state, { seq: 20, first: 16 });
    feed.push(message(20));
    await feed.catchUp();
    feed.push(message(21));
    expect(listener.seen).toEqual(['gap', 'e1:21']);
  });

  it('treats a new epoch as a gap, then delivers the new epoch from its first message', async () => {
    const listener = recorder();
    const state = { seq: 3, first: 1, epoch: 'e1' };
    const feed = new TopicFeed({ topic: 't', listener, read: stream(state), onError: () => {}, retryDelay: 10 });
    await feed.catchUp();
    Object.assign(state, { seq: 2, first: 1, epoch: 'e2' });
    feed.push(message(2, 'e2'));
    await feed.catchUp();
    expect(listener.seen).toEqual(['gap', 'e2:1', 'e2:2']);
  });

  it('retries a failed catch-up after retryDelay, holding live messages back meanwhile', async () => {
    vi.useFakeTimers();
    const listener = recorder();
    const state = { seq: 1, first: 1, epoch: 'e1' };
    const read = stream(state);
    let isDown = false;
    const errors: unknown[] = [];
    const feed = new TopicFeed({
      topic: 't',
      listener,
      read: (since) => (isDown ? Promise.reject(new Error('down')) : read(since)),
      onError: (e) => errors.push(e),
      retryDelay: 1_000,
    });
    await feed.catchUp();
    isDown = true;
    state.seq = 3;
    feed.push(message(3));
    await feed.catchUp();
    expect(errors).toHaveLength(1);
    expect(listener.seen).toEqual([]);
    isDown = false;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(listener.seen).toEqual(['e1:2', 'e1:3']);
  });

  it('retries a failed catch-up at once when told the reader is back, not after retryDelay', async () => {
    vi.useFakeTimers();
    const listener = recorder();
    const state = { seq: 1, first: 1, epoch: 'e1' };
    const read = stream(state);
    let isDown = false;
    const feed = new TopicFeed({
      topic: 't',
      listener,
      read: (since) => (isDown ? Promise.reject(new Error('down')) : read(since)),
      onError: () => {},
      retryDelay: 60_000,
    });
    await feed.catchUp();
    isDown = true;
    state.seq = 3;
    feed.push(message(3)); // a jump: the feed reads 2 back, and the read fails
    await vi.advanceTimersByTimeAsync(0);
    expect(listener.seen).toEqual([]);
    isDown = false;
    feed.retryNow();
    await vi.advanceTimersByTimeAsync(0);
    expect(listener.seen).toEqual(['e1:2', 'e1:3']);
    feed.push(message(4));
    expect(listener.seen).toEqual(['e1:2', 'e1:3', 'e1:4']);
    feed.retryNow(); // nothing pending: no read, no redelivery
    await vi.advanceTimersByTimeAsync(60_000);
    expect(listener.seen).toEqual(['e1:2', 'e1:3', 'e1:4']);
  });

  it('rejects the first read (the subscribe fails) instead of retrying it', async () => {
    const feed = new TopicFeed({
      topic: 't',
      listener: recorder(),
      read: () => Promise.reject(new Error('down')),
      onError: () => {},
      retryDelay: 10,
    });
    await expect(feed.catchUp()).rejects.toThrow('down');
  });
});
