import type { SubscriberFleet } from '../generator/fleet';
import type { ServerProcess } from '../harness/server-process';
import { sleep, waitFor } from '../shared/clock';

const CREDIT_INTERVAL_MS = 1;
const DRAIN_TIMEOUT_MS = 60_000;

/** Settings of one flood. */
export interface FloodSettings {
  readonly ms: number;
  /** Messages in flight per subscriber (average) that the server may run ahead of the generator. */
  readonly window: number;
  readonly burst: number;
}

/**
 * Floods the fleet from inside the server for `ms`, flat out but never more than `window` messages
 * per subscriber ahead of what the fleet has received, then waits until every published message
 * has arrived. Returns the deliveries counted. Throws if a subscriber was lost or the drain stalls.
 */
export async function flood(server: ServerProcess, fleet: SubscriberFleet, settings: FloodSettings): Promise<number> {
  const subscribers = fleet.size;
  const base = fleet.received;
  const lostBefore = fleet.lost;
  server.resetCredit();
  await server.request({ op: 'flood', total: 100_000_000, burst: settings.burst, maxMs: settings.ms });
  const grant = (): void => server.credit(Math.floor((fleet.received - base) / subscribers) + settings.window);
  grant();
  const timer = setInterval(grant, CREDIT_INTERVAL_MS);
  try {
    await sleep(settings.ms);
  } finally {
    clearInterval(timer);
  }
  const published = await server.request<number>({ op: 'flood-stop' });
  const expected = published * subscribers;
  const isDrained = await waitFor(() => fleet.received - base >= expected || fleet.lost > lostBefore, DRAIN_TIMEOUT_MS);
  if (fleet.lost > lostBefore) throw new Error(`${fleet.lost - lostBefore} subscribers lost during the flood`);
  if (!isDrained) throw new Error(`drain stalled: ${fleet.received - base} of ${expected} delivered`);
  return fleet.received - base;
}
