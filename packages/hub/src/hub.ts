import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  analyticsTopics,
  createTopicRegistry,
  defineTopics,
  notificationMethods,
  notificationTopics,
  type TopicMap,
} from '@oxidite/protocol';
import {
  createAnalyticsService,
  createClientAddressResolver,
  createNotificationService,
  createRealtimeServer,
  DEFAULT_HEADERS_TIMEOUT,
  DEFAULT_LISTEN_BACKLOG,
  type Logger,
  type RealtimeServer,
} from '@oxidite/server';
import { createApiHandler } from './api/api-handler';
import { createApiKeyring, hashApiKey } from './api/api-keys';
import { sendJson } from './api/http-error';
import { openApiDocument } from './api/openapi';
import { publicRoutes } from './api/public-routes';
import { apiRoutes } from './api/routes';
import { HUB_MAX_TOPIC_LENGTH } from './api/topic-name';
import { buildAuth } from './auth/build-auth';
import type { HubEnv } from './config/mask';
import { ConfigError } from './config/config-error';
import type { HubConfig } from './config/schema';
import { createUserDisconnect } from './cluster/user-disconnect';
import { openStores } from './stores';
import { buildTopics } from './topics/build-topics';

/** Options of {@link startHub}. */
export interface StartHubOptions {
  /** The validated config (`loadConfig`). */
  readonly config: HubConfig;
  /** Secrets and service URLs from the environment (`hubEnvOf(process.env)`). */
  readonly env: HubEnv;
  /** Structured logs. @default silent */
  readonly logger?: Logger | undefined;
  /** Names the config in errors. @default '(config)' */
  readonly source?: string | undefined;
}

/** A running hub. */
export interface Hub {
  /** The address it listens on (port 0 in the config picks a free one). */
  readonly address: AddressInfo;
  /** The realtime server inside, for embedding and tests. */
  readonly realtime: RealtimeServer<TopicMap>;
  /** Stops: `/readyz` answers 503 at once, clients get 1001, then stores close. */
  close(): Promise<void>;
}

/** Base for parsing request targets (origin-form `/api/…`); its host is never used. */
const BASE = 'http://hub.invalid';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * The hub's topic map: the config's topics beside the reserved ones. Throws the ConfigError a start
 * would (a schema that cannot compile, a pattern the linear engine cannot run), so `--print-config`
 * refuses exactly what a start refuses.
 */
export function hubTopics(config: HubConfig, source: string): TopicMap {
  return defineTopics(buildTopics(config.topics, source, { ...notificationTopics, ...analyticsTopics }));
}

/**
 * Starts a hub: the SDK's realtime server, its HTTP API, health and metrics on one port.
 * @throws ConfigError when a topic's pattern or JSON Schema is invalid.
 */
export async function startHub(options: StartHubOptions): Promise<Hub> {
  const { config, env } = options;
  const logger = options.logger ?? silent;
  const topics = hubTopics(config, options.source ?? '(config)');
  const resolveAddress = addressResolverOf(config, options.source ?? '(config)');
  const stores = await openStores(config.dataDir, env, logger);
  const rt = createRealtimeServer({
    topics,
    methods: notificationMethods,
    broker: stores.broker,
    ...buildAuth(config.auth, logger),
    security: {
      origins: config.origins,
      rateLimiter: stores.rateLimiter,
      trustProxy: config.trustProxy,
      proxyHeader: config.proxyHeader,
    },
    closeGrace: config.closeGrace,
    maxTopicLength: HUB_MAX_TOPIC_LENGTH,
    logger,
  });
  rt.on('error', (error, where) => logger.error('hub: realtime error', { where, error: String(error) }));
  const notifications = createNotificationService({
    store: stores.notificationStore,
    realtime: rt,
    onError: (error, where) => logger.error('hub: notifications error', { where, error: String(error) }),
  });
  const analytics = createAnalyticsService({
    store: stores.analyticsStore,
    realtime: rt,
    onError: (error, source) => logger.error('hub: analytics error', { source, error: String(error) }),
  });
  const keys = [...config.apiKeys];
  if (env.apiKey) keys.push({ name: 'OXIDITE_API_KEY', sha256: hashApiKey(env.apiKey), scopes: ['admin'] });
  if (keys.length === 0) logger.warn('hub: no API key configured: the HTTP API refuses every request');
  let isReady = false;
  const api = createApiHandler({
    routes: [
      ...publicRoutes({ isReady: () => isReady, openApi: openApiDocument(), wsPath: '/ws' }),
      ...apiRoutes({
        rt,
        registry: createTopicRegistry(topics),
        broker: stores.broker,
        notifications,
        analytics,
        users: await createUserDisconnect(stores.broker, rt, logger),
      }),
    ],
    keyring: createApiKeyring(keys),
    maxBodyBytes: config.maxBodyBytes,
    logger,
    rateLimiter: stores.rateLimiter,
    resolveAddress,
  });
  let closing: Promise<void> | undefined;
  const notFound = (res: ServerResponse) =>
    sendJson(res, 404, { error: { code: 'not_found', message: 'no such route' } });
  // The SDK's `rt.listen` defaults: 10 s for a request's headers (Node's 60 s, checked every 30 s,
  // let half-sent requests pile up past every per-address limit) and a backlog for reconnect storms.
  // A body gets 5 s more than the headers: 600 sockets that sent most of a body and stopped were
  // held for good (Node's own limit is 5 minutes).
  const timeouts = {
    headersTimeout: DEFAULT_HEADERS_TIMEOUT,
    requestTimeout: DEFAULT_HEADERS_TIMEOUT + 5_000,
    connectionsCheckingInterval: 1_000,
  };
  const server: Server = createServer(timeouts, (req: IncomingMessage, res: ServerResponse) => {
    // A target URL cannot parse (`http://[`): a peer's bad input, answered, never thrown.
    const url = URL.canParse(req.url ?? '/', BASE) ? new URL(req.url ?? '/', BASE) : undefined;
    if (!url) return sendJson(res, 400, { error: { code: 'malformed', message: 'bad request target' } });
    if (api(req, res, url)) return;
    rt.handler(req, res, () => notFound(res));
  });
  rt.attach(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, DEFAULT_LISTEN_BACKLOG, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch(async (error: unknown) => {
    // Nothing was served yet: release what was opened, so an embedding process is left clean.
    await rt.close();
    await analytics.close();
    await stores.close();
    throw error;
  });
  isReady = true;
  const address = server.address() as AddressInfo;
  logger.info('hub: listening', { host: address.address, port: address.port, redis: Boolean(env.redisUrl) });
  return {
    address,
    realtime: rt,
    close() {
      closing ??= (async () => {
        isReady = false;
        await rt.close();
        await closeHttp(server);
        await analytics.close();
        await stores.close();
        logger.info('hub: stopped');
      })();
      return closing;
    },
  };
}

/** How long API requests still running at shutdown get to finish, in ms. */
const HTTP_DRAIN_MS = 1_000;

/**
 * Stops the HTTP server: idle keep-alive sockets (and clients retrying their upgrade, which are
 * answered but keep their socket) would otherwise hold `close` for seconds. Requests in flight
 * get {@link HTTP_DRAIN_MS} to finish.
 */
function closeHttp(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), HTTP_DRAIN_MS).unref();
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}

/** The client address resolver; a `trustProxy` entry that is not an address, CIDR or preset is a config error. */
function addressResolverOf(config: HubConfig, source: string): ReturnType<typeof createClientAddressResolver> {
  try {
    return createClientAddressResolver(config.trustProxy, config.proxyHeader);
  } catch (error) {
    throw new ConfigError(source, [
      {
        path: 'trustProxy',
        expected: 'addresses, CIDRs or presets (loopback, private)',
        got: (error as Error).message,
      },
    ]);
  }
}
