import { createClient, type RealtimeClient } from '@oxidite/client';
import { defineTopics } from '@oxidite/protocol';
import { type Broker, createRealtimeServer, type PublishedMessage } from '@oxidite/server';
import { createTcpProxy, tapPublishes, type TcpProxy, withDeadline } from '@oxidite/test-utils';
import { WebSocket } from 'ws';
import * as z from 'zod';

/** The scenario's one topic: each value names its publisher and its place in that publisher's sequence. */
export const feedTopics = defineTopics({
  feed: {
    schema: z.object({ from: z.number().int(), n: z.number().int() }),
    history: { size: 10_000, maxAge: 600_000 },
  },
});

/** Options of {@link runExactlyOnceScenario}. */
export interface ScenarioOptions {
  /** One broker per node (two nodes: two brokers on one Redis). */
  readonly brokers: readonly Broker[];
  /** Clients; each publishes `perClient` values and subscribes to all. */
  readonly clients: number;
  readonly perClient: number;
  /** Cuts right after a publish was appended, before its ack (so the ack is lost), and as many at random deliveries. */
  readonly cuts: number;
  /** Each reconnect of a client goes to the next node: every cut moves every publisher. */
  readonly isMoving: boolean;
  readonly seed: number;
}

/** What happened, for the test's assertions. */
export interface ScenarioResult {
  /** Per subscriber, per publisher, the values received, in order. */
  readonly received: number[][][];
  /** Per publisher, the seqs its publishes resolved with, in call order. */
  readonly ackedSeqs: number[][];
  /** Messages the brokers appended, and repeats they recognised. */
  readonly appended: number;
  readonly duplicates: number;
  readonly cutsDone: number;
}

/** A small seeded PRNG (mulberry32), so a failing run can be replayed from its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** `count` distinct integers in [1, below). */
function pick(next: () => number, count: number, below: number): Set<number> {
  const picked = new Set<number>();
  while (picked.size < Math.min(count, below - 1)) picked.add(1 + Math.floor(next() * (below - 1)));
  return picked;
}

/**
 * Issue #20's done-when scenario: `clients` clients publish 1..perClient each while every
 * connection is cut at random moments, half of them right between a publish and its ack. Tears
 * everything down before it returns.
 */
export async function runExactlyOnceScenario(options: ScenarioOptions): Promise<ScenarioResult> {
  const next = random(options.seed);
  const total = options.clients * options.perClient;
  const cutAtAppend = pick(next, options.cuts, total);
  const cutAtDelivery = pick(next, options.cuts, total);
  const teardown: (() => unknown)[] = [];
  const proxies: TcpProxy[] = [];
  let appended = 0;
  let duplicates = 0;
  let cutsDone = 0;
  const cut = (): void => {
    cutsDone++;
    for (const proxy of proxies) proxy.cut();
  };
  const onPublished = (message: PublishedMessage): void => {
    if (message.isDuplicate) {
      duplicates++;
      return;
    }
    if (cutAtAppend.has(++appended)) cut();
  };
  try {
    for (const broker of options.brokers) {
      const rt = createRealtimeServer({
        topics: feedTopics,
        broker: tapPublishes(broker, onPublished),
        security: {
          rateLimits: { connectionsPerAddress: false, messagesPerConnection: false, publishesPerUser: false },
        },
      });
      const { port } = await rt.listen(0, '127.0.0.1');
      teardown.push(() => rt.close());
      const proxy = await createTcpProxy(port);
      teardown.push(() => proxy.close());
      proxies.push(proxy);
    }
    const urls = proxies.map((proxy) => `ws://127.0.0.1:${proxy.port}/ws`);
    const received = Array.from({ length: options.clients }, () =>
      Array.from({ length: options.clients }, (): number[] => []),
    );
    let delivered = 0;
    let deliveredToFirst = 0;
    let wake = (): void => {};
    const clients: RealtimeClient<typeof feedTopics>[] = [];
    for (let c = 0; c < options.clients; c++) {
      let attempt = c;
      const client = createClient({
        url: () => urls[(options.isMoving ? attempt++ : c) % urls.length] as string,
        topics: feedTopics,
        WebSocket,
        reconnect: { minDelay: 10, maxDelay: 100 },
      });
      teardown.push(() => client.close());
      clients.push(client);
      client.subscribe('feed', ({ from, n }) => {
        received[c]?.[from]?.push(n);
        delivered++;
        if (c === 0 && cutAtDelivery.has(++deliveredToFirst)) cut();
        wake();
      });
    }
    await withDeadline(Promise.all(clients.map((client) => client.ready)), 10_000, 'clients ready');
    const publishing = Promise.all(
      clients.map(async (client, from) => {
        const results: Promise<{ offset: string }>[] = [];
        for (let n = 1; n <= options.perClient; n++) {
          const result = client.publish('feed', { from, n });
          result.catch(() => {}); // a failure is reported once, by the Promise.all below
          results.push(result);
          // Some publishes wait for their ack, so cuts find requests both in flight and queued.
          if (n % 4 === 0) await results[results.length - 1];
        }
        return (await Promise.all(results)).map(({ offset }) => Number(offset.split(':')[1]));
      }),
    );
    const ackedSeqs = await withDeadline(publishing, 30_000, 'every publish acknowledged');
    const everything = total * options.clients;
    await withDeadline(
      new Promise<void>((resolve) => {
        wake = () => delivered >= everything && resolve();
        wake();
      }),
      30_000,
      `${everything} deliveries`,
    );
    return { received, ackedSeqs, appended, duplicates, cutsDone };
  } finally {
    for (const dispose of teardown.splice(0).reverse()) await dispose();
  }
}
