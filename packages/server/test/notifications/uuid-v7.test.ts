import { describe, expect, it } from 'vitest';
import { createUuidV7Generator, uuidV7Timestamp, uuidV7 } from '../../src/notifications/uuid-v7';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuidV7', () => {
  it('follows the RFC 9562 layout: version 7, variant 10, the ms timestamp in the first 48 bits', () => {
    const before = Date.now();
    const id = uuidV7();
    expect(id).toMatch(UUID_V7);
    expect(uuidV7Timestamp(id)).toBeGreaterThanOrEqual(before);
    expect(uuidV7Timestamp(id)).toBeLessThanOrEqual(Date.now() + 1);
    const fixed = createUuidV7Generator({ now: () => 0x0123_4567_89ab })();
    expect(fixed.slice(0, 13)).toBe('01234567-89ab');
  });

  it('increases strictly within a millisecond, past the counter, and when the clock steps back', () => {
    let clock = 1_700_000_000_000;
    const next = createUuidV7Generator({ now: () => clock });
    const ids: string[] = [];
    for (let i = 0; i < 10_000; i++) ids.push(next()); // > 4,096: the counter overflows into the timestamp
    clock -= 5_000;
    for (let i = 0; i < 100; i++) ids.push(next());
    clock += 60_000;
    ids.push(next());
    const misplaced = ids.filter((id, i) => !UUID_V7.test(id) || (i > 0 && id <= (ids[i - 1] as string)));
    expect(misplaced).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(uuidV7Timestamp(ids.at(-1) as string)).toBe(clock);
    // The timestamp runs ahead of a stuck clock only as far as the counter forces it to.
    expect(uuidV7Timestamp(ids[9_999] as string) - 1_700_000_000_000).toBeLessThanOrEqual(5);
  });

  it('seeds each millisecond randomly, so ids of separate generators rarely collide', () => {
    const a = createUuidV7Generator({ now: () => 1 });
    const b = createUuidV7Generator({ now: () => 1 });
    const ids = new Set(Array.from({ length: 1_000 }, (_, i) => (i % 2 ? a() : b())));
    expect(ids.size).toBe(1_000);
  });
});
