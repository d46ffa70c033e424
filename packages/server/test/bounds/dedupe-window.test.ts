import { describe, expect, it } from 'vitest';
import { DEDUPE_DEFAULTS, DedupeWindows, resolveDedupe } from '../../src/pubsub';

// Issue #20: the dedupe window is bounded in time and in keys per topic, and a topic nobody
// publishes to any more keeps nothing once its keys expired.

const at = (ts: number) => ({ offset: { epoch: 'e', seq: ts }, ts });

describe('dedupe window bounds', () => {
  it('defaults to 120 s and 10,000 keys per topic, and clamps nonsense to 1', () => {
    expect(DEDUPE_DEFAULTS).toEqual({ window: 120_000, maxKeys: 10_000 });
    expect(resolveDedupe({ window: 0, maxKeys: -5 })).toEqual({ window: 1, maxKeys: 1 });
  });

  it('sweeps expired keys, and the topics left without any', () => {
    const windows = new DedupeWindows({ window: 1_000 });
    for (let topic = 0; topic < 1_000; topic++) windows.remember(`t${topic}`, 'k', at(0));
    windows.remember('late', 'k', at(500));
    expect(windows.size).toBe(1_001);
    windows.sweep(1_000);
    expect(windows.size).toBe(1);
    expect(windows.get('late', 'k', 1_000)).toEqual(at(500));
    expect(windows.get('late', 'k', 1_500)).toBeUndefined();
    expect(windows.size).toBe(0);
  });

  it('holds at most maxKeys per topic however many are published', () => {
    const windows = new DedupeWindows({ maxKeys: 100 });
    for (let n = 0; n < 10_000; n++) windows.remember('busy', `k${n}`, at(n));
    expect(windows.size).toBe(100);
    expect(windows.get('busy', 'k9899', 10_000)).toBeUndefined();
    expect(windows.get('busy', 'k9900', 10_000)).toEqual(at(9_900));
  });
});
