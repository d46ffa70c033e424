import type { ResolvedTopic } from '@oxidite/protocol';
import type { Retention } from '../pubsub';

/** History kept when a topic declares none: 100 messages, 5 minutes. */
export const DEFAULT_RETENTION: Retention = { size: 100, maxAge: 300_000 };

/** The retention of a resolved topic. */
export function retentionOf(resolved: ResolvedTopic): Retention {
  const history = resolved.options.history;
  if (!history) return DEFAULT_RETENTION;
  return { size: history.size ?? DEFAULT_RETENTION.size, maxAge: history.maxAge ?? DEFAULT_RETENTION.maxAge };
}
