/** Live analytics: event and metrics schemas (hand-written, no zod) and the metrics topic. */
export {
  AnalyticsBatchSchema,
  AnalyticsEventSchema,
  AnalyticsLimit,
} from './analytics-event';
export type {
  AnalyticsBatch,
  AnalyticsBatchInput,
  AnalyticsEvent,
  AnalyticsEventInput,
  AnalyticsProperties,
  AnalyticsPropertyValue,
} from './analytics-event';
export { METRICS_WINDOW_MINUTES, MetricsSnapshotSchema } from './metrics-snapshot';
export type { MetricsSnapshot, MinuteCount } from './metrics-snapshot';
export { ANALYTICS_METRICS_TOPIC, analyticsTopics } from './analytics-topics';
export type { OxiditeSchema } from '../validation/guards';
