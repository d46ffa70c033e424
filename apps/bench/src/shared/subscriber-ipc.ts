/** The subscriber under test in the client-cpu scenario: which reader, and where it connects. */
export interface SubscriberConfig {
  /**
   * - `client`: `@oxidite/client` subscribed with the zod schema of the bench payload;
   * - `client-noschema`: the same with `validate: false`;
   * - `ws-json`: a raw `ws` socket that `JSON.parse`s every frame (the baseline).
   */
  readonly kind: 'client' | 'client-noschema' | 'ws-json';
  /** The server's WebSocket URL. */
  readonly url: string;
  /** Load `@oxidite/client` from this file instead. @default the workspace package */
  readonly clientModule: string | undefined;
}

/** Requests from the orchestrator to the subscriber child; each gets one reply with the same id. */
export type SubscriberRequest =
  /** Starts a measured window: counts, latency samples and CPU start from zero. */
  | { readonly op: 'mark'; readonly capacity: number }
  /** Resolves once `count` messages arrived since the mark (false after `timeoutMs`). */
  | { readonly op: 'await'; readonly count: number; readonly timeoutMs: number }
  /** Ends the window: CPU, messages and latency percentiles since the mark. */
  | { readonly op: 'report' }
  | { readonly op: 'stop' };

/** A request on the wire. */
export type SubscriberRequestFrame = SubscriberRequest & { readonly id: number };

/** What a subscriber measured over one window. */
export interface SubscriberReport {
  /** CPU µs (user + system) of the subscriber process. */
  readonly cpuMicros: number;
  /** Of which in user mode: the JavaScript (decode, validate, dispatch, GC) without the kernel's socket reads. */
  readonly userMicros: number;
  readonly received: number;
  readonly seconds: number;
  /** Publish → handler latency percentiles, ms. */
  readonly p50: number;
  readonly p99: number;
}
