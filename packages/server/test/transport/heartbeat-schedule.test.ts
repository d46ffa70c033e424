import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHeartbeatSchedule } from '../../src/transport/heartbeat-schedule';

/** A simulated client: answers each ping after `rtt()` ms until it is stalled. */
interface SimClient {
  lastSeen: number;
  readonly rtt: () => number;
  isStalled: boolean;
  cutAt: number | undefined;
}

function client(rtt: () => number): SimClient {
  return { lastSeen: Date.now(), rtt, isStalled: false, cutAt: undefined };
}

function simulate(clients: SimClient[], interval: number, timeout: number) {
  return createHeartbeatSchedule({
    interval,
    timeout,
    now: Date.now,
    sweep(cutoff, isPingDue) {
      for (const c of clients) {
        if (c.cutAt !== undefined) continue;
        if (c.lastSeen < cutoff) c.cutAt = Date.now();
        else if (isPingDue && !c.isStalled) {
          setTimeout(() => {
            if (!c.isStalled) c.lastSeen = Date.now();
          }, c.rtt());
        }
      }
    },
  });
}

/** Deterministic jitter in [min, max]. */
function jitter(min: number, max: number): () => number {
  let seed = 7;
  return () => {
    seed = (seed * 16_807) % 2_147_483_647;
    return min + (seed % (max - min + 1));
  };
}

describe('heartbeat schedule', () => {
  beforeEach(() => void vi.useFakeTimers({ now: 0 }));
  afterEach(() => {
    vi.clearAllTimers();
    vi.useRealTimers();
  });

  it('cuts a stalled connection within interval + timeout of the stall, whatever its phase', () => {
    const interval = 2_000;
    const timeout = 2_000;
    for (let stallAt = 2_001; stallAt < 6_000; stallAt += 97) {
      vi.clearAllTimers();
      vi.setSystemTime(0);
      const sim = client(jitter(1, 300));
      const schedule = simulate([sim], interval, timeout);
      vi.advanceTimersByTime(stallAt);
      sim.lastSeen = Date.now(); // a last message right at the stall
      sim.isStalled = true;
      vi.advanceTimersByTime(3 * (interval + timeout));
      schedule.stop();
      expect(sim.cutAt, `stall at ${stallAt}`).toBeDefined();
      expect((sim.cutAt as number) - stallAt, `stall at ${stallAt}`).toBeLessThanOrEqual(interval + timeout);
    }
  });

  it('never cuts a connection that answers every ping within the timeout, even with timeout = interval', () => {
    const clients = [client(jitter(1, 20)), client(jitter(1, 1_900)), client(jitter(500, 1_990))];
    const schedule = simulate(clients, 2_000, 2_000);
    vi.advanceTimersByTime(600_000);
    schedule.stop();
    expect(clients.map((c) => c.cutAt)).toEqual([undefined, undefined, undefined]);
  });

  it('pings nothing and cuts nothing with interval 0', () => {
    const sim = client(() => 1);
    sim.isStalled = true;
    const schedule = simulate([sim], 0, 1_000);
    vi.advanceTimersByTime(60_000);
    schedule.stop();
    expect(sim.cutAt).toBeUndefined();
  });
});
