/** The servers under test. Each runs alone in a child process started by the orchestrator. */
export const TargetName = {
  /** `createRealtimeServer` over WebSocket, spoken to directly with raw `ws` sockets. */
  OXIDITE: 'oxidite',
  /** The same server, driven through `@oxidite/client` (the client library's own cost). */
  OXIDITE_CLIENT: 'oxidite-client',
  /** A hand-written `ws` server: `ws.send` of one shared Buffer per socket. */
  WS: 'ws',
  /** A hand-written `ws` server that frames each message once and writes the same bytes to every socket. */
  WS_FRAME_ONCE: 'ws-frame-once',
  /** Socket.IO 4, websocket transport only, `io.to(room).emit`. */
  SOCKETIO: 'socketio',
  /** `createRealtimeServer` over Server-Sent Events. */
  OXIDITE_SSE: 'oxidite-sse',
  /** A hand-written Node `http` server writing `data:` events. */
  NODE_SSE: 'node-sse',
  /** `oxidite` on the build given by `--server-module` (A/B of a server patch in one run). */
  OXIDITE_B: 'oxidite-b',
  /** `oxidite-sse` on the build given by `--server-module`. */
  OXIDITE_SSE_B: 'oxidite-sse-b',
  /** `oxidite-client` on the `@oxidite/client` build given by `--client-module`. */
  OXIDITE_CLIENT_B: 'oxidite-client-b',
  /** `@oxidite/client` subscribed with `validate: false`: decode and dispatch, no payload schema. */
  OXIDITE_CLIENT_NOSCHEMA: 'oxidite-client-noschema',
  /** `oxidite-client-noschema` on the build given by `--client-module`. */
  OXIDITE_CLIENT_NOSCHEMA_B: 'oxidite-client-noschema-b',
  /** A raw `ws` client of the Oxidite server that `JSON.parse`s each frame: the client-side baseline. */
  WS_JSON: 'ws-json',
  /** `oxidite` on the Redis broker (`@oxidite/redis`) of a redis-server started for the run. */
  OXIDITE_REDIS: 'oxidite-redis',
  /** Two `oxidite-redis` nodes on one redis-server, the subscribers split between them. */
  OXIDITE_REDIS_X2: 'oxidite-redis-x2',
} as const;

export type TargetName = (typeof TargetName)[keyof typeof TargetName];

/** Which server implementation a target runs in the child process. */
export type ServerKind = 'oxidite' | 'ws' | 'ws-frame-once' | 'socketio' | 'node-sse';

/** The server each target talks to. */
export const SERVER_OF: Readonly<Record<TargetName, ServerKind>> = {
  oxidite: 'oxidite',
  'oxidite-client': 'oxidite',
  ws: 'ws',
  'ws-frame-once': 'ws-frame-once',
  socketio: 'socketio',
  'oxidite-sse': 'oxidite',
  'node-sse': 'node-sse',
  'oxidite-b': 'oxidite',
  'oxidite-sse-b': 'oxidite',
  'oxidite-client-b': 'oxidite',
  'oxidite-client-noschema': 'oxidite',
  'oxidite-client-noschema-b': 'oxidite',
  'ws-json': 'oxidite',
  'oxidite-redis': 'oxidite',
  'oxidite-redis-x2': 'oxidite',
};

/** The `--server-module` twin of a target, if it has one. */
export const B_TWIN: Partial<Record<TargetName, TargetName>> = { oxidite: 'oxidite-b', 'oxidite-sse': 'oxidite-sse-b' };

/** The `--client-module` twin of a target, if it has one (a client-side A/B; the server is the same). */
export const CLIENT_B_TWIN: Partial<Record<TargetName, TargetName>> = {
  'oxidite-client': 'oxidite-client-b',
  'oxidite-client-noschema': 'oxidite-client-noschema-b',
};

/** Whether `target` runs the server build of `--server-module`. */
export function isServerTwin(target: TargetName): boolean {
  return Object.values(B_TWIN).includes(target);
}

/** What validates `bench` payloads on the Oxidite server. */
export type SchemaKind = 'zod' | 'noop';

/** The topic every fan-out scenario publishes on, and the one the replay scenario reads back. */
export const BENCH_TOPIC = 'bench';
export const REPLAY_TOPIC = 'replay';
/** Topics with history of the reconnect storm (each client subscribes to two of them; Oxidite only). */
export const STORM_TOPICS = ['storm-0', 'storm-1', 'storm-2', 'storm-3'] as const;
export type StormTopic = (typeof STORM_TOPICS)[number];

/** The WebSocket subprotocol of Oxidite (the raw `ws` targets accept it too, so clients are identical). */
export const SUBPROTOCOL = 'oxidite.v1';
