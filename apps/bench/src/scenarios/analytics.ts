import type { AnalyticsResult } from '../shared/ipc';
import { type Scenario, withServer } from './scenario';

const BATCH = 500;
const MAX_MS = 10_000;

/** Analytics ingest in a fresh process: `store.record(batch)` and `service.trackBatch` (+ flush). */
export function analyticsScenario(events: number): Scenario {
  return {
    id: 'analytics',
    title: `analytics ingest in-process, batches of ${BATCH}, ${events} events`,
    targets: ['oxidite'],
    baseline: undefined,
    metrics: [
      { key: 'storeRecord', label: 'memory store record() events/s', better: 'higher' },
      { key: 'trackBatch', label: 'service trackBatch() + flush events/s', better: 'higher' },
    ],
    run: (target, context) =>
      withServer(target, context, async (server) => {
        const result = await server.request<AnalyticsResult>(
          { op: 'analytics', events, batch: BATCH, maxMs: MAX_MS },
          2 * MAX_MS + 10_000,
        );
        return { storeRecord: result.storeRecord, trackBatch: result.trackBatch };
      }),
  };
}
