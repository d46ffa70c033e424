import { hasRedisServer, requireService, startRedis } from '@oxidite/test-utils';
import type { SnippetContexts } from '../support/context';

interface Closable {
  close(): Promise<void>;
}

/** packages/redis/README.md. */
export const redisContexts: SnippetContexts = {
  'packages/redis/README.md § @oxidite/redis #0': {
    env: 'node',
    prelude: `import { defineTopics } from '@oxidite/protocol';
import * as z from 'zod';
const topics = defineTopics({ 'chat:{room}': z.object({ text: z.string() }) });`,
    epilogue: 'export { rt, broker, rateLimiter, store, analytics };',
    async run(load) {
      if (!requireService('redis-server', hasRedisServer())) return;
      const redis = await startRedis();
      process.env['REDIS_URL'] = redis.url;
      try {
        const { rt, broker, rateLimiter, store, analytics } = (await load()) as Record<string, Closable>;
        // The README's shutdown order, as its last comment prints it.
        for (const resource of [analytics, store, rt, broker, rateLimiter]) await resource?.close();
      } finally {
        delete process.env['REDIS_URL'];
        await redis.stop();
      }
    },
  },
};
