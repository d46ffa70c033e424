import { defineTopics } from '../topics/topic-map';
import { MetricsSnapshotSchema } from './metrics-snapshot';

/** The topic that carries live `MetricsSnapshot`s. */
export const ANALYTICS_METRICS_TOPIC = 'analytics:metrics';

/**
 * The analytics topics, to spread into an application's topic map. History keeps only the latest
 * snapshot: a dashboard that subscribes with `rewind: 1` renders at once instead of waiting for
 * the next publish.
 *
 * @example
 * const topics = defineTopics({ ...appTopics, ...analyticsTopics });
 * client.subscribe('analytics:metrics', (snapshot) => render(snapshot), { rewind: 1 });
 */
export const analyticsTopics = /* @__PURE__ */ defineTopics({
  'analytics:metrics': { schema: MetricsSnapshotSchema, history: { size: 1 }, clientPublish: false },
});
