import type { AnalyticsEvent } from '@oxidite/protocol';
import { createAnalyticsService, createMemoryAnalyticsStore, type TrackInput } from '@oxidite/server';
import type { AnalyticsResult } from '../shared/ipc';

const TYPES = ['page_view', 'click', 'signup', 'cart:add', 'search'] as const;
/** Distinct prepared batches, cycled through (so the store sees a realistic mix of visitors). */
const BATCHES = 16;

function makeBatches(size: number, now: number): TrackInput[][] {
  const batches: TrackInput[][] = [];
  for (let b = 0; b < BATCHES; b++) {
    const batch: TrackInput[] = [];
    for (let i = 0; i < size; i++) {
      const k = b * size + i;
      batch.push({
        type: TYPES[k % TYPES.length] as string,
        userId: `u${k % 5_000}`,
        properties: { path: `/p/${k % 50}` },
        timestamp: now - (k % 60_000),
      });
    }
    batches.push(batch);
  }
  return batches;
}

/** Events per second through `loop`, which handles one batch per call; bounded by `events` and `maxMs`. */
async function throughput(batchSize: number, events: number, maxMs: number, loop: (i: number) => Promise<void>) {
  const start = performance.now();
  let done = 0;
  for (let i = 0; done < events && performance.now() - start < maxMs; i++) {
    await loop(i);
    done += batchSize;
  }
  return done / ((performance.now() - start) / 1000);
}

/**
 * In-process ingest: `store.record(batch)` on the memory store, then the whole service path
 * (`trackBatch`: validation, queue, then a flush into the store). Batches are built beforehand,
 * so only the SDK's work is timed.
 */
export async function benchAnalytics(events: number, batchSize: number, maxMs: number): Promise<AnalyticsResult> {
  const batches = makeBatches(batchSize, Date.now());
  const storeEvents: AnalyticsEvent[][] = batches.map((batch) =>
    batch.map((e) => ({ ...e, properties: e.properties ?? {}, timestamp: e.timestamp ?? Date.now() })),
  );
  const store = createMemoryAnalyticsStore();
  const storeRecord = await throughput(batchSize, events, maxMs, (i) =>
    store.record(storeEvents[i % BATCHES] as AnalyticsEvent[], Date.now()),
  );
  await store.close();

  const service = createAnalyticsService({
    flushInterval: 0,
    publishInterval: 0,
    batchSize,
    maxPending: batchSize * 4,
  });
  const trackBatch = await throughput(batchSize, events, maxMs, (i) => {
    service.trackBatch(batches[i % BATCHES] as TrackInput[]);
    return service.flush();
  });
  await service.close();
  return { storeRecord, trackBatch };
}
