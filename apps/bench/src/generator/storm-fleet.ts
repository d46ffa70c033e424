import { createClient, type RealtimeClient } from '@oxidite/client';
import { defineTopics, type StandardSchemaV1 } from '@oxidite/protocol';
import { WebSocket } from 'ws';
import type { BenchPayload } from '../server/bench-server';
import { monoMs } from '../shared/clock';
import { STORM_TOPICS } from '../shared/targets';
import { openMany } from './fleet';

/** Accepts every payload: the storm measures reconnection, not payload validation. */
const anyPayload: StandardSchemaV1<BenchPayload, BenchPayload> = {
  '~standard': { version: 1, vendor: 'oxidite-bench', validate: (value) => ({ value: value as BenchPayload }) },
};
const topics = defineTopics(Object.fromEntries(STORM_TOPICS.map((name) => [name, { schema: anyPayload }])));
const OPEN_TIMEOUT_MS = 120_000;

/** What one generator process saw of the storm (times on the shared monotonic clock, ms). */
export interface StormReport {
  /** When each client's connection opened again after `arm()` (one entry per reopened client). */
  readonly reopened: number[];
  /** When each client had resubscribed every topic and received every missed message. */
  readonly done: number[];
  readonly clients: number;
  /** Messages a client's handler got a second time (the same topic and number). */
  readonly duplicates: number;
  /** Messages up to the expected number that a client never got (counted for clients not done). */
  readonly missing: number;
  /** `reset` events: a resubscribe that could not recover what was missed. */
  readonly resets: number;
  /** CPU seconds this generator process spent from `arm()` until its last client was complete (or the report). */
  readonly cpu: number;
}

/** One `@oxidite/client` of the storm and what it received, per topic, by message number. */
class StormClient {
  readonly client: RealtimeClient<typeof topics>;
  /** Per subscribed topic: how often each message number arrived (index = number). */
  readonly counts = new Map<string, number[]>();
  /** Topics whose resubscribe was confirmed after `arm()`. */
  readonly resumed = new Set<string>();
  readonly #onChange: (client: StormClient) => void;
  /** Set before the server stops: from then on reopenings and resubscribes are recorded. */
  isArmed = false;
  reopenedAt: number | undefined;
  doneAt: number | undefined;
  duplicates = 0;
  resets = 0;

  constructor(url: string, onChange: (client: StormClient) => void) {
    this.#onChange = onChange;
    // Default reconnect policy on purpose: the storm measures the client's own backoff and jitter.
    this.client = createClient({ url, topics, WebSocket, validate: false });
    this.client.on('state', ({ to }) => {
      if (to === 'open' && this.reopenedAt === undefined && this.isArmed) {
        this.reopenedAt = monoMs();
        onChange(this);
      }
    });
  }

  subscribe(topic: string): Promise<void> {
    const counts: number[] = [];
    this.counts.set(topic, counts);
    const subscription = this.client.subscribe(topic as (typeof STORM_TOPICS)[number], (data) => {
      const n = data.n;
      counts[n] = (counts[n] ?? 0) + 1;
      if ((counts[n] as number) > 1) this.duplicates++;
      if (this.isArmed) this.#onChange(this);
    });
    subscription.on('subscribed', (info) => {
      if (!this.isArmed || !info.isResumed) return;
      this.resumed.add(topic);
      this.#onChange(this);
    });
    subscription.on('reset', () => {
      this.resets++;
    });
    return subscription.ready;
  }

  /** Whether every topic resubscribed and holds every number up to `last`. */
  isComplete(last: number): boolean {
    if (this.resumed.size < this.counts.size) return false;
    for (const counts of this.counts.values()) {
      for (let n = 1; n <= last; n++) if (!counts[n]) return false;
    }
    return true;
  }

  missing(last: number): number {
    let missing = 0;
    for (const counts of this.counts.values()) for (let n = 1; n <= last; n++) if (!counts[n]) missing++;
    return missing;
  }
}

/**
 * The reconnect storm's clients in one generator process: `@oxidite/client` instances with the
 * default reconnect policy, each subscribed to `perClient` storm topics with recovery.
 */
export class StormFleet {
  readonly #clients: StormClient[] = [];
  #expected = Number.POSITIVE_INFINITY;
  #done = 0;
  #onAllDone: (() => void) | undefined;
  #armedCpu: NodeJS.CpuUsage | undefined;
  #doneCpu: NodeJS.CpuUsage | undefined;

  /** Opens `count` clients (`concurrency` at a time), each subscribed to `perClient` topics from `first`. */
  async open(url: string, count: number, first: number, perClient: number, concurrency: number): Promise<void> {
    let next = first;
    const result = await openMany(
      async () => {
        const index = next++;
        const client = new StormClient(url, (changed) => this.#changed(changed));
        this.#clients.push(client);
        await client.client.ready;
        const names = Array.from({ length: perClient }, (_, k) => STORM_TOPICS[(index + k) % STORM_TOPICS.length]);
        await Promise.all(names.map((name) => client.subscribe(name as string)));
      },
      count,
      concurrency,
      OPEN_TIMEOUT_MS,
    );
    if (result.opened < count)
      throw new Error(`only ${result.opened}/${count} clients subscribed (${result.firstError})`);
  }

  /** Whether every client has received every number up to `last` on its topics (before the restart). */
  hasAll(last: number): boolean {
    return this.#clients.every((client) => client.missing(last) === 0);
  }

  /** From now on, record reopenings and completion (call before the server stops). */
  arm(): void {
    for (const client of this.#clients) client.isArmed = true;
    this.#armedCpu = process.cpuUsage();
  }

  /** Resolves once every client is complete up to `last` (or after `timeoutMs`). */
  waitComplete(last: number, timeoutMs: number): Promise<void> {
    this.#expected = last;
    for (const client of this.#clients) this.#changed(client);
    if (this.#done >= this.#clients.length) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.#onAllDone = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  report(): StormReport {
    const clients = this.#clients;
    const cpu = this.#doneCpu ?? process.cpuUsage(this.#armedCpu);
    return {
      cpu: (cpu.user + cpu.system) / 1e6,
      reopened: clients.flatMap((client) => (client.reopenedAt === undefined ? [] : [client.reopenedAt])),
      done: clients.flatMap((client) => (client.doneAt === undefined ? [] : [client.doneAt])),
      clients: clients.length,
      duplicates: clients.reduce((sum, client) => sum + client.duplicates, 0),
      missing: clients.reduce(
        (sum, client) => sum + (client.doneAt === undefined ? client.missing(this.#expected) : 0),
        0,
      ),
      resets: clients.reduce((sum, client) => sum + client.resets, 0),
    };
  }

  close(): void {
    for (const client of this.#clients) client.client.close();
  }

  #changed(client: StormClient): void {
    if (client.doneAt !== undefined || !Number.isFinite(this.#expected) || !client.isComplete(this.#expected)) return;
    client.doneAt = monoMs();
    if (++this.#done < this.#clients.length) return;
    this.#doneCpu = process.cpuUsage(this.#armedCpu);
    this.#onAllDone?.();
  }
}
