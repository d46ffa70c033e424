import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CloseCode,
  createTopicRegistry,
  formatOffset,
  type MethodInput,
  type MethodMap,
  type MethodOutput,
  type PublishInputOf,
  type TopicMap,
  type TopicName,
} from '@oxidite/protocol';
import { resolveLimits } from './config';
import { connectionDetails } from './details';
import { type RealtimeServerEvents, TypedEmitter } from './events';
import {
  assertTopicOptions,
  Hub,
  type HubContext,
  publishFromServer,
  type ServerPublishOptions,
  type ServerPublishResult,
  type RpcHandler,
  RpcRegistry,
  startNodeBroadcast,
  TopicGroups,
} from './hub';
import {
  createLog,
  createStats,
  logRefusal,
  logServerEvents,
  renderPrometheus,
  type RealtimeStats,
  snapshotStats,
  startTelemetry,
  traceBroker,
  watchRefusals,
} from './observability';
import { Inspector, resolveInspector } from './inspector';
import { type ListenOptions, resolveListenOptions } from './listen-options';
import type { RealtimeServerOptions } from './options';
import { createMemoryBroker } from './pubsub';
import {
  createAdmission,
  createUserCapCheck,
  createClientAddressResolver,
  createMemoryConnectionCounter,
  createMemoryRateLimiter,
  createOriginCheck,
  createRequestCharge,
  resolveConnectionCaps,
  resolveRateLimits,
} from './security';
import {
  createRequestHandler,
  readOnly,
  createSseTransport,
  createUpgradeRouter,
  createWebSocketTransport,
  type NodeHandler,
  type RealtimeRequestHandler,
  refuseConnect,
  refuseRequest,
} from './transport';

export type { NodeHandler, RealtimeRequestHandler } from './transport';

/** How {@link RealtimeServer.disconnect} closes a user's connections. */
export interface DisconnectOptions {
  /**
   * 4403: the client stops for good. 4401: the client fetches a fresh token once and reconnects
   * only if it gets one the `auth` hook accepts (so a revoked session stays out).
   * @default 4403
   */
  readonly code?: typeof CloseCode.FORBIDDEN | typeof CloseCode.UNAUTHORIZED | undefined;
  /** The close reason (trimmed to 123 bytes). @default 'disconnected by the server' */
  readonly reason?: string | undefined;
}

/** A running realtime server. */
export interface RealtimeServer<T extends TopicMap, M extends MethodMap = MethodMap> {
  /**
   * Handles WebSocket upgrades on `path` of an existing HTTP(S) server. An upgrade for any other
   * path is answered 404 (429 past the connection rate limit) and closed, unless the server has
   * another 'upgrade' listener: then the paths that are not `path` are left to that listener.
   */
  attach(server: Server): void;
  /**
   * Starts an HTTP server of its own on `host` (default 127.0.0.1): WebSocket on `path`, SSE on
   * `ssePath`, `/realtime/details` and `/metrics`. Resolves once it also receives the broadcasts
   * of the other nodes sharing the broker. `options.backlog` sizes the kernel's queue of pending
   * connections (see {@link ListenOptions}).
   * @throws RangeError for a backlog that is not a positive integer
   */
  listen(port: number, host?: string, options?: ListenOptions): Promise<AddressInfo>;
  /**
   * Publishes to a topic (validated by its schema); resolves with the message's offset. With an
   * `idempotencyKey`, a repeat within the broker's dedupe window publishes nothing and resolves
   * with the first publish's offset and `isDuplicate: true`.
   * @throws RealtimeError `unknown_topic`, `invalid` (payload, key, or a payload nested deeper than clients decode: 31 levels)
   */
  publish<K extends TopicName<T>>(
    topic: K,
    data: PublishInputOf<T, K>,
    options?: ServerPublishOptions,
  ): Promise<ServerPublishResult>;
  /**
   * Sends `data` to every connection, subscribed or not: on this node at once, and on the other
   * nodes sharing the broker when it brings it (not kept in history). Returns how many of this
   * node's connections got it.
   * @throws RealtimeError `invalid` when `data` is nested deeper than clients decode (32 levels)
   */
  broadcast(data: unknown): { sent: number; failed: number };
  /**
   * Closes every connection of user `userId` on this node, WebSocket and SSE (a revoked session, a
   * ban). Returns how many were closed. For every node, call it on each (e.g. through the broker).
   */
  disconnect(userId: string, options?: DisconnectOptions): number;
  /** Registers the handler of an RPC method; registering a name twice throws (one handler per method). */
  rpc<K extends keyof M & string>(method: K, handler: RpcHandler<MethodInput<M, K>, MethodOutput<M, K>>): void;
  rpc(method: string, handler: RpcHandler): void;
  /** Subscribes to server events; returns an unsubscribe function. */
  on<E extends keyof RealtimeServerEvents>(event: E, listener: (...args: RealtimeServerEvents[E]) => void): () => void;
  /** A snapshot of the counters. */
  stats(): RealtimeStats;
  /**
   * Every HTTP endpoint of the server in one Node handler, for any framework: SSE on `ssePath`,
   * `/realtime/details` and `/metrics` are answered (returns true); other requests go to `next`
   * when given (returns false). WebSocket upgrades are not requests: `attach` the HTTP server too.
   * @example
   * app.use(rt.handler);          // Express
   * rt.attach(app.listen(3000));
   */
  readonly handler: RealtimeRequestHandler;
  /** The same endpoints one by one, to mount on routes of your own. */
  readonly handlers: {
    /** The SSE endpoint: `?topic=a&topic=b`, resumes from `Last-Event-ID`. Mount it at `ssePath`. */
    readonly events: NodeHandler;
    /** JSON connection details for client bootstrap. */
    readonly details: NodeHandler;
    /** Prometheus text exposition of the counters. */
    readonly metrics: NodeHandler;
  };
  /**
   * Stops accepting, closes every connection with 1001, cuts those still open after `closeGrace`,
   * releases the broker it created. Resolves within `closeGrace` + 1 s whatever clients do.
   */
  close(): Promise<void>;
}

/**
 * Creates a realtime server.
 * @example
 * const rt = createRealtimeServer({ topics });
 * rt.attach(httpServer); // WebSocket upgrades on /ws
 * await rt.publish('chat:lobby', { text: 'hi' });
 */
export function createRealtimeServer<const T extends TopicMap, const M extends MethodMap = MethodMap>(
  options: RealtimeServerOptions<T, M>,
): RealtimeServer<T, M> {
  const limits = resolveLimits(options);
  const path = options.path ?? '/ws';
  const ssePath = options.ssePath ?? '/events';
  const ownsBroker = options.broker === undefined;
  const inspectorOptions = resolveInspector(options.inspector);
  const inspector = inspectorOptions && new Inspector(inspectorOptions);
  assertTopicOptions(options.topics);
  const topics = createTopicRegistry(inspector ? { ...options.topics, ...inspector.topics } : options.topics);
  const stats = createStats();
  const log = createLog(options.logger);
  const emitter = new TypedEmitter<RealtimeServerEvents>();
  logServerEvents((event, listener) => emitter.on(event, listener), log);
  const tracing = startTelemetry(options.telemetry, stats, (event, listener) => emitter.on(event, listener));
  const ownBroker = options.broker ?? createMemoryBroker({ now: options.now });
  const tracedBroker = tracing ? traceBroker(ownBroker, tracing) : ownBroker;
  const broker = inspector ? inspector.countPublishes(tracedBroker) : tracedBroker;
  const rpc = new RpcRegistry();
  const security = options.security ?? {};
  const rateLimits = resolveRateLimits(security.rateLimits);
  const rateLimiter = security.rateLimiter ?? createMemoryRateLimiter();
  const counter = security.connectionCounter ?? createMemoryConnectionCounter();
  const context: HubContext = {
    broker,
    topics,
    methods: options.methods,
    rpc,
    groups: new TopicGroups(broker, limits.broadcastCapacity),
    limits,
    authorize: options.authorize,
    filter: options.filter,
    verifyToken: options.verifyToken,
    rateLimits,
    rateLimiter,
    abuseThreshold: security.abuseThreshold ?? 20,
    counter,
    stats,
    log,
    tracing,
    now: options.now ?? Date.now,
    reportError(error, where) {
      emitter.emit('error', error, where);
    },
    events: {
      onOpen: (connection) => emitter.emit('connection', connection),
      onClose: (connection, close) => emitter.emit('disconnect', connection, close),
      onSubscribe: (connection, subscription) => emitter.emit('subscribe', connection, subscription),
      onUnsubscribe: (connection, subscription) => emitter.emit('unsubscribe', connection, subscription),
    },
  };
  const hub = new Hub(context);
  const nodeBroadcast = startNodeBroadcast(
    broker,
    (data) => hub.broadcast(data),
    (error) => emitter.emit('error', error, 'broadcast'),
  );
  if (inspector) {
    inspector.start({ hub, topics, broker, stats, rpc, wsPath: path, now: context.now });
    emitter.on('disconnect', (connection, close) => inspector.recordClose(connection, close, context.now()));
  }
  const resolveAddress = createClientAddressResolver(security.trustProxy ?? false, security.proxyHeader);
  const caps = resolveConnectionCaps(security, limits.maxConnections, (message) => {
    log.warn('config.warning', message);
    process.emitWarning(message, { code: 'OXIDITE_CONNECTION_CAPS' });
  });
  const admission = createAdmission({
    auth: options.auth,
    tokens: options.tokens,
    maxConnections: limits.maxConnections,
    connectionCount: () => hub.size,
    checkOrigin: createOriginCheck({ origins: security.origins, allowMissingOrigin: security.allowMissingOrigin }),
    resolveAddress,
    rateLimiter,
    connectionRule: rateLimits.connectionsPerAddress,
    counter,
    ...caps,
  });
  const watched = watchRefusals(admission, resolveAddress, (refusal) => {
    logRefusal(log, refusal);
    inspector?.recordRefusal(refusal, context.now());
  });
  const admit = inspector ? inspector.admit(watched, resolveAddress) : watched;
  const charge = createRequestCharge({ resolveAddress, rateLimiter, connectionRule: rateLimits.connectionsPerAddress });
  const websocket = createWebSocketTransport({ hub, limits, admit, perMessageDeflate: options.perMessageDeflate });
  const sseRetry = options.sseRetry ?? 3_000;
  const closeGrace = options.closeGrace ?? 5_000;
  const isUserFull = createUserCapCheck({ counter, maxPerUser: caps.maxPerUser });
  const events = createSseTransport({ hub, limits, admit, charge, isUserFull, retry: sseRetry });
  const attached = new Set<Server>();
  let ownServer: Server | undefined;
  let isClosed = false;

  const onUpgrade = createUpgradeRouter({ path, websocket, charge, stats, isClosed: () => isClosed });

  const handlers = {
    events: (req: IncomingMessage, res: ServerResponse) => {
      if (isClosed) {
        res.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '1' }).end('server shutting down\n');
        return;
      }
      events(req, res);
    },
    details: readOnly(charge, (req, res) => {
      const body = JSON.stringify(connectionDetails(req, { path, ssePath, sseRetry, limits }));
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(body);
    }),
    metrics: readOnly(charge, (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(renderPrometheus(stats));
    }),
  };

  const handler = createRequestHandler(
    new Map([
      [ssePath, handlers.events],
      ['/realtime/details', handlers.details],
      ['/metrics', handlers.metrics],
      ...(inspector ? [[inspector.options.path, inspector.page] as const] : []),
    ]),
  );

  const publishOnce = async (
    topic: string,
    data: unknown,
    publishOptions: ServerPublishOptions & { readonly traceparent?: string } = {},
  ): Promise<ServerPublishResult> => {
    const message = await publishFromServer(topics, broker, limits.maxTopicLength, topic, data, publishOptions);
    if (!message.isDuplicate) stats.published++;
    return { offset: formatOffset(message.offset), isDuplicate: message.isDuplicate === true };
  };

  const server: RealtimeServer<T, M> = {
    attach(http) {
      if (attached.has(http)) return;
      attached.add(http);
      http.on('upgrade', onUpgrade);
    },
    async listen(port, host = '127.0.0.1', listenOptions) {
      const { backlog, headersTimeout } = resolveListenOptions(listenOptions);
      // Checked every second rather than Node's 30 s, so the timeout means what it says.
      const timeouts = {
        headersTimeout,
        // What this server reads are GETs and small refusals: a request has 5 s more for its body.
        requestTimeout: headersTimeout + 5_000,
        connectionsCheckingInterval: Math.min(headersTimeout, 1_000),
      };
      const http = createServer(timeouts, (req, res) => {
        if (!handler(req, res)) refuseRequest(charge, req, res, { status: 404, reason: 'not found' });
      });
      ownServer = http;
      http.on('connect', refuseConnect);
      server.attach(http);
      await new Promise<void>((resolve, reject) => {
        http.once('error', reject);
        http.listen(port, host, backlog, () => resolve());
      });
      // A node that answers before it hears the other nodes' broadcasts would miss one sent right
      // after its start; the wait is bounded by the broker's own connect timeout.
      await nodeBroadcast.ready;
      const address = http.address() as AddressInfo;
      log.info('server.listening', 'listening', { host: address.address, port: address.port });
      return address;
    },
    publish(topic, data, publishOptions) {
      // Tracing off: one check, and the publish path allocates nothing more than before.
      if (!tracing) return publishOnce(topic, data, publishOptions);
      return tracing.publish(topic, (traceparent) => publishOnce(topic, data, { ...publishOptions, traceparent }));
    },
    broadcast(data) {
      const result = hub.broadcast(data); // throws before anything is sent when clients could not decode it
      nodeBroadcast.forward(data);
      return result;
    },
    disconnect(userId, disconnectOptions = {}) {
      const { code = CloseCode.FORBIDDEN, reason = 'disconnected by the server' } = disconnectOptions;
      // The type says so, but JavaScript callers passed 1005 (never sent: clients saw 1006 and came back).
      if (code !== CloseCode.FORBIDDEN && code !== CloseCode.UNAUTHORIZED) {
        throw new RangeError(`disconnect code must be 4403 or 4401, got ${String(code)}`);
      }
      return hub.disconnectUser(userId, code, reason);
    },
    rpc(method: string, handler: RpcHandler) {
      rpc.register(method, handler as RpcHandler);
    },
    on(event, listener) {
      return emitter.on(event, listener);
    },
    stats: () => snapshotStats(stats),
    handler,
    handlers,
    async close() {
      if (isClosed) return;
      isClosed = true;
      inspector?.stop();
      log.info('server.closing', 'closing', { connections: hub.size });
      for (const http of attached) http.off('upgrade', onUpgrade);
      websocket.stopAdmitting();
      const drained = hub.drained();
      hub.shutdown();
      await Promise.race([drained, delay(closeGrace)]);
      // Left to `ws`, a client that never answers the close handshake would hold its socket (and
      // the HTTP server's close) for 30 s: cut what is left, then give the cuts a moment to land.
      hub.terminate();
      await Promise.race([hub.drained(), delay(1_000)]);
      await websocket.close();
      await nodeBroadcast.stop();
      if (ownsBroker) await broker.close();
      if (ownServer) {
        const http = ownServer;
        http.closeAllConnections();
        await new Promise<void>((resolve) => http.close(() => resolve()));
      }
    },
  };
  return server;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
