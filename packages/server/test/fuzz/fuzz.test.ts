import { describe, expect, it } from 'vitest';
import { runFuzz } from './fuzz-run';
import { FUZZ_HISTORY_BUDGET } from './fuzz-server';

/**
 * The protocol fuzzer (issue #25). The default suite runs a short seeded run; `pnpm fuzz` runs
 * 1,000,000 frames (`FUZZ_FRAMES`, `FUZZ_SEED` override both).
 */
const frames = Number(process.env.FUZZ_FRAMES ?? 3_000);
const seed = Number(process.env.FUZZ_SEED ?? 25);
/** The long run is bounded in time too: it stops sending after this many ms and reports how far it got. */
const maxDurationMs = Number(process.env.FUZZ_MAX_MS ?? 11 * 60_000);

/** Memory budget of the whole test process (server, fuzzer and vitest), in MiB. */
const RSS_BUDGET = 512;

describe('fuzz: the server speaks only its protocol, stays up and bounded', () => {
  it(`${frames} seeded frames (seed ${seed})`, { timeout: maxDurationMs + 120_000 }, async () => {
    const report = await runFuzz({
      seed,
      frames,
      maxDurationMs,
      onProgress: (line) => process.stderr.write(`fuzz: ${line}\n`),
    });
    process.stderr.write(`fuzz report: ${JSON.stringify(report, null, 2)}\n`);
    expect(report.oracle.violations).toEqual({});
    expect(report.honest.inOrder).toBe(true);
    expect(report.honest.websocket).toBe(report.honest.published);
    expect(report.honest.sse).toBe(report.honest.published);
    expect(report.memory.rssMax).toBeLessThan(RSS_BUDGET);
    expect(report.broker.historyBytesMax).toBeLessThanOrEqual(FUZZ_HISTORY_BUDGET);
    expect(report.memory.heapEnd).toBeLessThanOrEqual(report.memory.heapStart * 1.1);
  });
});
