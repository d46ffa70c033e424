import type { MeterProvider, ObservableResult } from '@opentelemetry/api';
import { statMetrics } from './metric-table';
import type { RealtimeStats } from './stats';

/**
 * Exposes the server's counters through an OpenTelemetry meter, beside the Prometheus text: one
 * asynchronous instrument per row name of the shared table, read at collection time. Nothing is
 * recorded per message: the hot path keeps incrementing the plain counters it always did.
 * Names follow OTel style: `oxidite.connections_total` becomes `oxidite.connections.total`.
 */
export function observeStats(provider: MeterProvider, stats: RealtimeStats): void {
  const meter = provider.getMeter('@oxidite/server');
  const seen = new Set<string>();
  for (const { name, type, help } of statMetrics(stats)) {
    if (seen.has(name)) continue;
    seen.add(name);
    const instrumentName = `oxidite.${name.replace(/_total$/, '.total').replaceAll('_', '.')}`;
    const instrument =
      type === 'counter'
        ? meter.createObservableCounter(instrumentName, { description: help })
        : meter.createObservableUpDownCounter(instrumentName, { description: help });
    instrument.addCallback((result: ObservableResult) => {
      for (const row of statMetrics(stats)) if (row.name === name) result.observe(row.value, row.labels);
    });
  }
  // `closes_total` has rows only once a close happened: make sure its instrument exists from the start.
  if (!seen.has('closes_total')) {
    meter
      .createObservableCounter('oxidite.closes.total', { description: 'Connections closed by the server.' })
      .addCallback((result: ObservableResult) => {
        for (const [code, count] of Object.entries(stats.closes)) result.observe(count, { code });
      });
  }
}
