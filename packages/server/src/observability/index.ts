/** Observability: the logger, stats counters, Prometheus exposition and OpenTelemetry. */
export type { AnyLogger, Log, LogFields, Logger, LogLevel, PinoLikeLogger } from './logger';
export { createLog, silentLogger } from './logger';
export { logServerEvents } from './log-events';
export { logRefusal, watchRefusals } from './log-refusals';
export type { RefusalRecord } from './log-refusals';
export { createStats, snapshotStats } from './stats';
export type { RealtimeStats } from './stats';
export { renderPrometheus } from './prometheus';
export type { TelemetryOptions } from './telemetry-options';
export { startTelemetry } from './telemetry';
export { traceBroker } from './trace-broker';
export type { Tracing } from './tracing';
