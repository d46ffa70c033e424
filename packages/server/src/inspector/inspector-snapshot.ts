import type { TopicRegistry } from '@oxidite/protocol';
import { type Hub, retentionOf } from '../hub';
import type { RealtimeStats } from '../observability';
import { isInspector } from '../security';

/** One open connection as the page shows it. */
export interface InspectedConnection {
  readonly id: string;
  readonly transport: 'websocket' | 'sse';
  readonly user: string | null;
  readonly address: string;
  readonly subscriptions: readonly string[];
  readonly queuedBytes: number;
}

/** One topic with subscribers on this node. */
export interface InspectedTopic {
  readonly topic: string;
  readonly subscribers: number;
  /** Publishes per second through this node, over the last interval. */
  readonly rate: number;
  /** Messages its history keeps at most (the topic's declared `history.size`). */
  readonly historySize: number;
}

/** A refused connection request. */
export interface Refusal {
  readonly at: number;
  readonly status: number;
  readonly reason: string;
  readonly address: string;
}

/** A connection that closed. */
export interface ClosedConnection {
  readonly at: number;
  readonly id: string;
  readonly user: string | null;
  readonly code: number;
  readonly reason: string;
}

/** What the `@inspector` topic carries, once per interval, per node. */
export interface InspectorSnapshot {
  readonly node: string;
  readonly at: number;
  readonly connections: readonly InspectedConnection[];
  readonly topics: readonly InspectedTopic[];
  readonly refusals: readonly Refusal[];
  readonly closes: readonly ClosedConnection[];
  readonly closeCodes: Readonly<Record<number, number>>;
  /** Connections not listed because the list is capped (see {@link MAX_LISTED}). */
  readonly unlisted: number;
}

/** Connections listed per snapshot: a page of a busy server stays a page, not megabytes. */
export const MAX_LISTED = 200;

/** What the snapshot reads besides the hub. */
export interface SnapshotSources {
  readonly node: string;
  readonly hub: Hub;
  readonly topics: TopicRegistry;
  readonly stats: RealtimeStats;
  readonly refusals: readonly Refusal[];
  readonly closes: readonly ClosedConnection[];
  /** Publishes per topic since the last snapshot (read and reset by it). */
  readonly published: Map<string, number>;
  readonly intervalMs: number;
  readonly now: number;
}

/** Builds one snapshot; the inspector's own connections are left out of it. */
export function takeSnapshot(sources: SnapshotSources): InspectorSnapshot {
  const connections: InspectedConnection[] = [];
  const subscribers = new Map<string, number>();
  let unlisted = 0;
  for (const connection of sources.hub.connections()) {
    if (isInspector(connection.principal)) continue;
    const topics = [...connection.subscriptions.keys()];
    for (const topic of topics) subscribers.set(topic, (subscribers.get(topic) ?? 0) + 1);
    if (connections.length >= MAX_LISTED) {
      unlisted++;
      continue;
    }
    connections.push({
      id: connection.id,
      transport: connection.transport,
      user: connection.principal?.id ?? null,
      address: connection.remoteAddress,
      subscriptions: topics,
      queuedBytes: connection.peer.queuedBytes,
    });
  }
  const names = new Set([...subscribers.keys(), ...sources.published.keys()]);
  const topics = [...names].sort().map((topic) => {
    const resolved = sources.topics.resolve(topic);
    return {
      topic,
      subscribers: subscribers.get(topic) ?? 0,
      rate: Math.round(((sources.published.get(topic) ?? 0) * 10_000) / sources.intervalMs) / 10,
      historySize: resolved ? retentionOf(resolved).size : 0,
    };
  });
  sources.published.clear();
  return {
    node: sources.node,
    at: sources.now,
    connections,
    topics,
    refusals: [...sources.refusals],
    closes: [...sources.closes],
    closeCodes: { ...sources.stats.closes },
    unlisted,
  };
}
