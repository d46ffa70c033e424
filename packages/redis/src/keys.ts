/** What a topic-scoped key or channel holds. */
export type TopicKeyKind = 'topic' | 'stream' | 'ch' | 'presence' | 'presence-count' | 'dedupe' | 'dedupe-order';

/**
 * The key (or channel) of one of a topic's structures: `{prefix}{kind}:{{topic}}`. The braces are a
 * Redis Cluster hash tag: every key and the channel of a topic hash to one slot, so a script may
 * touch them all and SPUBLISH reaches only the shard that owns them
 * (https://redis.io/docs/latest/operate/oss_and_stack/reference/cluster-spec/#hash-tags).
 * A topic containing braces still yields one tag for all of its keys: the tag ends at the first
 * `}` after the opening brace, at the same place in each.
 */
export function topicKey(prefix: string, kind: TopicKeyKind, topic: string): string {
  return `${prefix}${kind}:{${topic}}`;
}

/** Recovers the topic from a channel name made by {@link topicKey}; undefined for anything else. */
export function channelTopic(prefix: string, channel: string): string | undefined {
  const head = `${prefix}ch:{`;
  if (!channel.startsWith(head) || !channel.endsWith('}')) return undefined;
  return channel.slice(head.length, -1);
}
