import { defineTopics } from '@oxidite/protocol';
import { createRealtimeServer } from '@oxidite/server';
import { z } from 'zod';
import type { SoakOptions } from './soak-options';

/** What the orchestrator asks the server process over IPC. */
export type SoakRequest = { readonly id: number; readonly type: 'sample' | 'close' };

/** The server's answer: its memory and counters. */
export interface SoakSample {
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
  readonly connections: number;
  readonly subscriptions: number;
  readonly dropped: number;
  readonly slowConsumersClosed: number;
}

/** Topic names of the soak. */
export const soakTopic = (i: number): string => `soak:${i}`;

/**
 * The server under test, in its own process (so its RSS is its own): the production preset with
 * the soak's heartbeat and timeout, and the per-address caps lifted (every client is on loopback).
 */
export async function runSoakServer(options: SoakOptions): Promise<void> {
  const topics = defineTopics({
    'soak:{i}': { schema: z.object({ n: z.number().int(), topic: z.string() }), history: { size: 1_000 } },
  });
  const rt = createRealtimeServer({
    topics,
    maxConnections: options.connections + 100,
    heartbeatInterval: options.heartbeat,
    connectionTimeout: options.timeout,
    security: {
      rateLimits: { connectionsPerAddress: false, messagesPerConnection: false, publishesPerUser: false },
      maxConnectionsPerAddress: options.connections + 100,
    },
  });
  const { port } = await rt.listen(0, '127.0.0.1');
  const sample = (): SoakSample => {
    const stats = rt.stats();
    const memory = process.memoryUsage();
    return {
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      connections: stats.connections.websocket,
      subscriptions: stats.subscriptions,
      dropped: stats.dropped,
      slowConsumersClosed: stats.slowConsumersClosed,
    };
  };
  process.on('message', (request: SoakRequest) => {
    if (request.type === 'sample') {
      (globalThis as { gc?: () => void }).gc?.();
      process.send?.({ id: request.id, sample: sample() });
    } else {
      void rt.close().then(() => process.send?.({ id: request.id }, () => process.exit(0)));
    }
  });
  // The orchestrator is the lifeline: if it dies, so does the server.
  process.on('disconnect', () => process.exit(0));
  process.send?.({ port });
}
