/** Observability: the logger interface, stats counters and Prometheus exposition. */
export type { Logger } from './logger';
export { silentLogger } from './logger';
export { createStats, snapshotStats } from './stats';
export type { RealtimeStats } from './stats';
export { renderPrometheus } from './prometheus';
