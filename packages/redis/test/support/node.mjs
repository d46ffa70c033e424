// One realtime server node in its own process, for `multi-process.test.ts`. Plain ESM on purpose:
// it imports the BUILT packages (their `dist`, through the workspace links), as a deployment does.
//
// Environment: REDIS_URL. Prints `{"port":…}` on stdout once listening on 127.0.0.1:0. Exits on
// SIGTERM/SIGINT after closing the server, broker and limiter, and when its stdin closes, so a
// test runner that dies does not leave it running.
import { defineTopics } from '@oxidite/protocol';
import { createRedisBroker, createRedisRateLimiter } from '@oxidite/redis';
import { createRealtimeServer } from '@oxidite/server';
import * as z from 'zod';

const redis = process.env.REDIS_URL;
if (!redis) throw new Error('REDIS_URL is required');

const topics = defineTopics({
  'room:{id}': { schema: z.object({ n: z.number().int() }), history: { size: 100, maxAge: 60_000 } },
});
// Redis outages are part of the test: connection errors are expected, and not printed.
const broker = createRedisBroker({ redis, connectTimeout: 1_000, onError: () => {} });
const rateLimiter = createRedisRateLimiter({ redis, connectTimeout: 1_000, onError: () => {} });
const rt = createRealtimeServer({
  topics,
  broker,
  // The token is the user id: enough to give each test client its own publish budget.
  auth: ({ token }) => (token ? { id: token } : null),
  security: { rateLimiter, rateLimits: { publishesPerUser: { capacity: 5, refillPerSecond: 0.001 } } },
});

const { port } = await rt.listen(0, '127.0.0.1');
process.stdout.write(`${JSON.stringify({ port })}\n`);

let isClosing = false;
async function shutdown() {
  if (isClosing) return;
  isClosing = true;
  await rt.close();
  await broker.close();
  await rateLimiter.close();
  process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
process.stdin.on('end', shutdown);
process.stdin.resume();
