/**
 * @oxidite/test-utils: helpers for the workspace's vitest suites (private, not published).
 *
 * Real services per suite on free loopback ports (`startRedis`, `startRedisCluster`, `startPostgres`), a fault-injecting TCP proxy,
 * deadlines, and `requireService`, which skips loudly on a laptop without the service and fails in CI.
 *
 * @example
 * import { type RedisServer, hasRedisServer, requireService, startRedis } from '@oxidite/test-utils';
 * describe.skipIf(!requireService('redis-server', hasRedisServer()))('redis broker', () => {
 *   let redis: RedisServer;
 *   beforeAll(async () => { redis = await startRedis(); });
 *   afterAll(() => redis?.stop());
 * });
 *
 * @module
 */
export { hasChromium, hasPostgres, hasRedisServer } from './availability';
export { type EventSourceLike, once, withDeadline } from './deadline';
export {
  type ChromiumLaunchOptions,
  chromiumLaunchOptions,
  chromiumPath,
  findExecutable,
  postgresBinDir,
} from './find-executable';
export { freePort } from './free-port';
export { type PostgresServer, type StartPostgresOptions, startPostgres } from './postgres';
export { pingRedis, type RedisServer, type StartRedisOptions, startRedis } from './redis';
export {
  type RedisCluster,
  type RedisClusterNodeInfo,
  type StartRedisClusterOptions,
  startRedisCluster,
} from './redis-cluster';
export { requireService } from './require-service';
// Published for users as @oxidite/testing; re-exported so the workspace keeps one copy.
export { createTcpProxy, RawClient, type TcpProxy } from '@oxidite/testing';
export { connectDeafWebSocket } from './deaf-websocket';
export { analyticsStoreContract } from './analytics-contract';
export type { AnalyticsContractOptions, AnalyticsStore, AnalyticsStoreFactory } from './analytics-contract';
export { createTestClock, EPOCH, event, minutesTotal, pageView, totalOf } from './analytics-events';
export type { TestClock } from './analytics-events';
export { eventually } from './eventually';
export { tapPublishes } from './tap-publishes';
export { type BrowserBundle, bundleForBrowser } from './browser-bundle';
export { markdownSnippets, readmeBlock, runSnippet, type Snippet, type SnippetLang } from './readme-snippet';
export { type Program, startProgram } from './program';
export { runReadmeChat, writeSnippetFiles } from './readme-chat';
export { unfinishedRequest } from './unfinished-request';
