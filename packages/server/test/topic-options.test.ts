import { defineTopics } from '@oxidite/protocol';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { createRealtimeServer } from '../src/index';

// A topic option out of range is the server author's mistake: it fails at start, naming the topic,
// instead of being clamped (a latencyBudget of 5,000 quietly became 1,000) or misbehaving later.
const schema = z.object({ n: z.number() });

describe('topic options are checked when the server is created', () => {
  it.each([
    [{ latencyBudget: 1_001 }, 'topic feed: latencyBudget must be from 0 to 1000 (ms), got 1001'],
    [{ latencyBudget: -1 }, 'topic feed: latencyBudget must be from 0 to 1000 (ms), got -1'],
    [{ latencyBudget: Number.NaN }, 'topic feed: latencyBudget must be from 0 to 1000 (ms), got NaN'],
    [{ history: { size: -5 } }, 'topic feed: history.size must be a non-negative integer, got -5'],
    [{ history: { size: 1.5 } }, 'topic feed: history.size must be a non-negative integer, got 1.5'],
    [{ history: { maxAge: -1 } }, 'topic feed: history.maxAge must be non-negative (ms), got -1'],
  ])('%o is refused with a RangeError', (options, message) => {
    const topics = defineTopics({ feed: { schema, ...options } });
    expect(() => createRealtimeServer({ topics })).toThrow(new RangeError(message));
  });

  it('accepts the documented range', async () => {
    const topics = defineTopics({
      feed: { schema, latencyBudget: 1_000, history: { size: 0, maxAge: 0 } },
      plain: schema,
    });
    await createRealtimeServer({ topics }).close();
  });
});
