/** Live analytics: event ingestion, batching, the store contract, live metrics and HTTP endpoints. */
export {
  ANALYTICS_MINUTE_MS,
  OTHER_EVENT_TYPE,
  PAGE_VIEW_EVENT_TYPE,
  analyticsEventTime,
  analyticsVisitorKey,
  analyticsMinuteStart,
  analyticsWindowStart,
} from './analytics-store';
export type { AnalyticsStore } from './analytics-store';
export { createMemoryAnalyticsStore } from './memory-analytics-store';
export type {
  MemoryAnalyticsStore,
  MemoryAnalyticsStoreOptions,
  MemoryAnalyticsStoreStats,
} from './memory-analytics-store';
export { createAnalyticsService } from './analytics-service';
export type {
  AnalyticsErrorSource,
  AnalyticsService,
  AnalyticsServiceOptions,
  AnalyticsServiceStats,
  MetricsPublisher,
  TrackInput,
} from './analytics-service';
export type { EventQueueCounters } from './event-queue';
export { createAnalyticsHandlers } from './http-handlers';
export type {
  AnalyticsHandler,
  AnalyticsHandlers,
  AnalyticsHandlersOptions,
  IngestRateLimiter,
  IngestRateRule,
} from './http-handlers';
