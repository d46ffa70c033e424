/** Observability: the logger interface, stats counters and Prometheus exposition. */
export type { AnyLogger, Log, LogFields, Logger, LogLevel, PinoLikeLogger } from './logger';
export { createLog, silentLogger } from './logger';
export { logServerEvents } from './log-events';
export { logRefusals } from './log-refusals';
export { createStats, snapshotStats } from './stats';
export type { RealtimeStats } from './stats';
export { renderPrometheus } from './prometheus';
