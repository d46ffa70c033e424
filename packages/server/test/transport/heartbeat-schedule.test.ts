import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHeartbeatSchedule } from '../../src/transport/heartbeat-schedule';

/** A simulated client: answers each ping after `rtt` ms until it is stalled. */
interface SimClient {
  lastSeen: number;
  rtt: number;
  isStalled: boolean;
  cutAt: number | undefined;
}

function simulate(clients: SimClient[], interval: number, timeout: number) {
  return createHeartbeatSchedule({
    interval,
    timeout,
    now: Date.now,
    sweep(cutoff, isPingDue) {
      let oldest: number | undefined;
      for (const client of clients) {
        if (client.cutAt !== undefined) continue;
        if (client.lastSeen <= cutoff) {
          client.cutAt = Date.now();
          continue;
        }
        if (isPingDue && !client.isStalled) {
          setTimeout(() => {
            if (!client.isStalled) client.lastSeen = Date.now();
          }, client.rtt);
        }
        oldest = oldest === undefined ? client.lastSeen : Math.min(oldest, client.lastSeen);
      }
      return oldest;
    },
  });
}

describe('heartbeat schedule', () => {
  beforeEach(() => void vi.useFakeTimers({ now: 0 }));
  afterEach(() => void vi.useRealTimers());

  it('cuts a connection once silent for the timeout, not at the next ping tick (so within interval + timeout of a stall)', () => {
    const interval = 2_000;
    const timeout = 2_000;
    for (let stallAt = 2_001; stallAt < 4_000; stallAt += 97) {
      vi.setSystemTime(0);
      const client: SimClient = { lastSeen: 0, rtt: 1, isStalled: false, cutAt: undefined };
      const schedule = simulate([client], interval, timeout);
      vi.advanceTimersByTime(stallAt);
      // A last message just before the stall: the connection was heard from at the stall itself.
      client.lastSeen = Date.now();
      client.isStalled = true;
      vi.advanceTimersByTime(4 * (interval + timeout));
      schedule.stop();
      expect(client.cutAt, `stall at ${stallAt}`).toBeDefined();
      // The documented bound, from the last thing heard: silent for `timeout`, then cut.
      expect((client.cutAt as number) - stallAt, `stall at ${stallAt}`).toBeLessThanOrEqual(timeout);
    }
    vi.clearAllTimers();
  });

  it('never cuts a connection that answers every ping within the timeout', () => {
    const clients: SimClient[] = [
      { lastSeen: 0, rtt: 5, isStalled: false, cutAt: undefined },
      { lastSeen: 0, rtt: 900, isStalled: false, cutAt: undefined },
    ];
    const schedule = simulate(clients, 1_000, 2_000);
    vi.advanceTimersByTime(60_000);
    schedule.stop();
    expect(clients.map((c) => c.cutAt)).toEqual([undefined, undefined]);
    vi.clearAllTimers();
  });
});
