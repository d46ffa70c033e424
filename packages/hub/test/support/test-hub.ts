import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from '@oxidite/client';
import type { TopicMap } from '@oxidite/protocol';
import { WebSocket } from 'ws';
import { createJsonLogger, hashApiKey, type HubConfigInput, type HubEnv, parseConfig, startHub } from '../../src/index';

/** Keys every test hub knows: one per scope, and an admin. */
export const KEYS = {
  admin: 'admin-key-0123456789',
  publish: 'publish-key-0123456789',
  presence: 'presence-key-0123456789',
  history: 'history-key-0123456789',
} as const;

const anything = { '~standard': { version: 1 as const, vendor: 'test', validate: (value: unknown) => ({ value }) } };

/** The test hub's topics as the client sees them: anything passes (the hub validates). */
export const anyTopics = {
  'chat:{room}': anything,
  news: anything,
  'notifications:{user}': anything,
  'analytics:metrics': anything,
} satisfies TopicMap;

/** The config of a test hub: port 0, its own data dir, a chat topic with a JSON Schema. */
export function testConfig(dataDir: string, more: Partial<HubConfigInput> = {}): HubConfigInput {
  return {
    port: 0,
    dataDir,
    topics: {
      'chat:{room}': {
        schema: { type: 'object', required: ['text'], properties: { text: { type: 'string', maxLength: 100 } } },
        presence: true,
      },
      news: {},
    },
    apiKeys: Object.entries(KEYS).map(([scope, key]) => ({
      name: scope,
      sha256: hashApiKey(key),
      scopes: [scope as 'admin'],
    })),
    maxBodyBytes: 4096,
    closeGrace: 1_000,
    ...more,
  };
}

/** A hub on 127.0.0.1:0 with a throwaway data dir; `await using` closes both. */
export async function startTestHub(more: Partial<HubConfigInput> = {}, env: Partial<HubEnv> = {}) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'oxidite-hub-'));
  const hub = await startHub({
    config: parseConfig(testConfig(dataDir, more), '(test)'),
    env: { redisUrl: undefined, databaseUrl: undefined, apiKey: undefined, ...env },
    logger: process.env['HUB_TEST_LOGS'] ? createJsonLogger(process.stderr, 'debug') : undefined,
  });
  const base = `http://127.0.0.1:${hub.address.port}`;
  return {
    hub,
    base,
    wsUrl: `ws://127.0.0.1:${hub.address.port}/ws`,
    /** Calls the API; `key` names a {@link KEYS} entry or is a raw key. */
    async api(
      route: string,
      init: {
        key?: keyof typeof KEYS | (string & {}) | undefined;
        body?: unknown;
        headers?: Record<string, string> | undefined;
        method?: string | undefined;
      } = {},
    ) {
      const headers: Record<string, string> = { ...init.headers };
      if (init.key) headers['authorization'] = `Bearer ${KEYS[init.key as keyof typeof KEYS] ?? init.key}`;
      if (init.body !== undefined) headers['content-type'] ??= 'application/json';
      const response = await fetch(`${base}${route}`, {
        method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
        headers,
        ...(init.body === undefined
          ? {}
          : { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }),
      });
      const text = await response.text();
      return { status: response.status, body: text ? (JSON.parse(text) as Record<string, any>) : undefined };
    },
    async [Symbol.asyncDispose]() {
      await hub.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A Node client of a hub (any payload accepted on the client side). */
export function hubClient(url: string, options: { token?: string } = {}) {
  return createClient({
    url,
    topics: anyTopics,
    WebSocket,
    reconnect: { minDelay: 20, maxDelay: 200 },
    ...(options.token ? { token: () => options.token as string } : {}),
  });
}
