import { defineTopics, RealtimeError } from '@oxidite/protocol';
import * as z from 'zod';
import {
  createMemoryBroker,
  createMemoryRateLimiter,
  createRealtimeServer,
  type MemoryBroker,
  type MemoryRateLimiter,
  type RealtimeServer,
  RealtimeConfig,
} from '../../src/index';

/** History retention of the fuzz topics: short, so the memory check can wait it out. */
export const FUZZ_RETENTION_MS = 1_000;

/** History budget of the fuzz broker: small, so that the server-wide budget is exercised. */
export const FUZZ_HISTORY_BUDGET = 16 * 1024;

const history = { size: 50, maxAge: FUZZ_RETENTION_MS };

/** The fuzz topic map: every kind of topic the server has (presence, owned, binary, server-only, no history). */
export const fuzzTopics = defineTopics({
  chat: { schema: z.object({ text: z.string().max(2_000) }), history },
  honest: {
    schema: z.object({ n: z.number().int() }),
    clientPublish: false,
    history: { size: 100, maxAge: FUZZ_RETENTION_MS },
  },
  'room:{id}': { schema: z.object({ n: z.number().int() }), presence: true, history },
  'user:{id}': { schema: z.object({ title: z.string() }), history },
  files: { schema: z.instanceof(Uint8Array), history },
  'nohist:{id}': { schema: z.object({ n: z.number() }), history: { size: 0 } },
});

/** A running fuzz target. */
export interface FuzzServer {
  readonly rt: RealtimeServer<typeof fuzzTopics>;
  readonly broker: MemoryBroker;
  readonly limiter: MemoryRateLimiter;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * The production preset with two changes, both documented in the root README (`npm run fuzz`):
 * every fuzz client comes from 127.0.0.1, so the per-address connection rate is raised (the
 * per-connection frame limit, the publish limit and every size limit stay production); and state
 * is short-lived and small — history kept 1 s within a 16 KiB server-wide budget that the run keeps
 * hitting, broker and rate-limit sweeps every 250 ms — so that memory can be checked once the
 * retention windows have passed.
 */
export async function startFuzzServer(): Promise<FuzzServer> {
  const limiter = createMemoryRateLimiter({ sweepInterval: 250 });
  const broker = createMemoryBroker({ sweepInterval: 250, maxHistoryBytes: FUZZ_HISTORY_BUDGET, maxIdleTopics: 1_000 });
  const rt = createRealtimeServer({
    ...RealtimeConfig.production(),
    topics: fuzzTopics,
    broker,
    // A user per `x-user` header (ids of any length: the long ones must be refused), else a guest.
    auth: ({ req }) => {
      const user = req.headers['x-user'];
      return typeof user === 'string' ? { id: user, info: { name: user.slice(0, 10) } } : { id: 'guest' };
    },
    security: {
      rateLimiter: limiter,
      rateLimits: { connectionsPerAddress: { capacity: 100_000, refillPerSecond: 100_000 } },
      maxConnectionsPerUser: 1_000,
    },
  });
  rt.rpc('echo', (data) => data);
  rt.rpc('fail', () => {
    throw new RealtimeError('x'.repeat(100), 'y'.repeat(3_000), { retryAfter: -1.5 });
  });
  const { port } = await rt.listen(0);
  return {
    rt,
    broker,
    limiter,
    port,
    async close() {
      await rt.close();
      await broker.close();
    },
  };
}
