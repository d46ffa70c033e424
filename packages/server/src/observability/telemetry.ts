import type { RealtimeServerEvents } from '../events';
import { observeStats } from './otel-metrics';
import type { RealtimeStats } from './stats';
import { openTelemetryOf, type TelemetryOptions } from './telemetry-options';
import { Tracing } from './tracing';

type On = <E extends keyof RealtimeServerEvents>(
  event: E,
  listener: (...args: RealtimeServerEvents[E]) => void,
) => unknown;

/**
 * Starts OpenTelemetry for a server when its `telemetry` option is given: the meter observes the
 * counters, and connection and subscription spans follow the server's own events (the same ones
 * `rt.on` serves). Returns undefined without the option: then nothing of this module runs.
 */
export function startTelemetry(
  options: TelemetryOptions | undefined,
  stats: RealtimeStats,
  on: On,
): Tracing | undefined {
  if (!options) return undefined;
  const telemetry = openTelemetryOf(options);
  const meterProvider = telemetry.meterProvider ?? telemetry.api.metrics.getMeterProvider();
  if (meterProvider) observeStats(meterProvider, stats);
  const tracing = new Tracing(telemetry);
  on('connection', (connection) => tracing.opened(connection));
  on('disconnect', (connection, close) => tracing.closed(connection, close));
  on('subscribe', (connection, subscription) => tracing.subscribed(connection, subscription));
  return tracing;
}
