import type { SchemaKind, ServerKind } from './targets';

/** How the server child is configured (passed as JSON in argv). */
export interface ServerConfig {
  readonly kind: ServerKind;
  readonly schema: SchemaKind;
  /** Length of the `p` string in every payload. */
  readonly payloadBytes: number;
  /** History kept on the replay topic (Oxidite only). */
  readonly replayHistory: number;
  /** Load `@oxidite/server` from this file instead (A/B of a patched build). @default the workspace package */
  readonly serverModule: string | undefined;
  /** `latencyBudget` of the Oxidite bench topic, ms. @default none */
  readonly latencyBudget?: number | undefined;
  /** Oxidite on the Redis broker of this server instead of the memory broker. @default the memory broker */
  readonly redisUrl?: string | undefined;
  /**
   * Ping every connection this often, in ms, and cut one that has not answered by the next ping:
   * Oxidite's `heartbeatInterval` and `connectionTimeout`, and on the raw `ws` servers the ping
   * loop of the `ws` README. @default Oxidite's production heartbeat (30 s); none on raw `ws`
   */
  readonly heartbeatMs?: number | undefined;
  /** Listen on this port (a restarted server takes its predecessor's). @default 0: any free port */
  readonly port?: number | undefined;
}

/** Requests from the orchestrator to the server child; each gets one {@link Reply} with the same id. */
export type Request =
  | { readonly op: 'usage' }
  | { readonly op: 'memory' }
  | { readonly op: 'stats' }
  | { readonly op: 'flood'; readonly total: number; readonly burst: number; readonly maxMs: number }
  | { readonly op: 'flood-stop' }
  | { readonly op: 'rate'; readonly rate: number; readonly durationMs: number }
  | { readonly op: 'loop-delay-start' }
  | { readonly op: 'loop-delay-stop' }
  | { readonly op: 'prefill'; readonly count: number }
  | { readonly op: 'publish-numbered'; readonly topics: readonly string[]; readonly from: number; readonly to: number }
  | { readonly op: 'analytics'; readonly events: number; readonly batch: number; readonly maxMs: number }
  | { readonly op: 'stop' };

/** A request on the wire. */
export type RequestFrame = Request & { readonly id: number };

/** One-way flow control: the flood may publish messages up to number `upTo`. */
export interface CreditFrame {
  readonly op: 'credit';
  readonly upTo: number;
}

/** A reply: `ok` with a result, or the error message. */
export type Reply =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly id: number; readonly ok: false; readonly error: string };

/** Sent by the child once it listens. */
export interface ReadyFrame {
  readonly op: 'ready';
  readonly port: number;
}

/** CPU time of the server process (µs, from `process.cpuUsage()`) at a monotonic instant (ms). */
export interface Usage {
  readonly user: number;
  readonly system: number;
  readonly at: number;
}

/** Memory of the server process after a full GC (bytes). */
export interface Memory {
  readonly rss: number;
  readonly heapUsed: number;
  readonly external: number;
  readonly connections: number;
}

/** Results of the in-process analytics ingest benchmark (events per second). */
export interface AnalyticsResult {
  readonly storeRecord: number;
  readonly trackBatch: number;
}

/** Event-loop delay of the server process over a window (ms), from `perf_hooks.monitorEventLoopDelay`. */
export interface LoopDelay {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}
