import type { TopicMap, TopicOptions } from '@oxidite/protocol';
import { MAX_LATENCY_BUDGET } from './topic-groups';

/**
 * Checks the server-side options of every topic at start, so that a typo fails loudly instead of
 * being clamped or ignored at the first message: history `size` a non-negative integer, `maxAge`
 * non-negative, `latencyBudget` from 0 to {@link MAX_LATENCY_BUDGET} ms.
 * @throws RangeError naming the topic and the option
 */
export function assertTopicOptions(topics: TopicMap): void {
  for (const [topic, definition] of Object.entries(topics)) {
    // A bare Standard Schema has no options.
    const { history, latencyBudget }: Partial<TopicOptions> = '~standard' in definition ? {} : definition;
    const fail = (option: string, expected: string, got: unknown) => {
      throw new RangeError(`topic ${topic}: ${option} must be ${expected}, got ${String(got)}`);
    };
    if (history?.size !== undefined && !(Number.isInteger(history.size) && history.size >= 0)) {
      fail('history.size', 'a non-negative integer', history.size);
    }
    if (history?.maxAge !== undefined && !(history.maxAge >= 0))
      fail('history.maxAge', 'non-negative (ms)', history.maxAge);
    if (latencyBudget !== undefined && !(latencyBudget >= 0 && latencyBudget <= MAX_LATENCY_BUDGET)) {
      fail('latencyBudget', `from 0 to ${MAX_LATENCY_BUDGET} (ms)`, latencyBudget);
    }
  }
}
