import type { IncomingMessage } from 'node:http';
import { SUBPROTOCOL } from '@oxidite/protocol';
import type { RealtimeLimits } from './config';

/** What a client needs to bootstrap, served as JSON by `rt.handlers.details`. */
export interface ConnectionDetails {
  readonly websocket: {
    readonly url: string;
    readonly protocol: string;
    readonly heartbeatInterval: number;
    /**
     * The client's reconnect defaults. `maxRetries` is `Number.MAX_SAFE_INTEGER`: JSON has no
     * `Infinity`, and this value means "never give up", as the client's default `Infinity` does.
     */
    readonly reconnect: { readonly maxRetries: number; readonly minDelay: number; readonly maxDelay: number };
  };
  readonly sse: { readonly url: string; readonly retry: number; readonly events: readonly string[] };
  /** The limits every connection's `welcome` announces. */
  readonly limits: {
    readonly maxPayload: number;
    readonly maxBinaryPayload: number;
    readonly maxSubscriptions: number;
    readonly maxInflight: number;
  };
}

/** Paths and reconnect advice the details document is built from. */
export interface DetailsOptions {
  readonly path: string;
  readonly ssePath: string;
  readonly sseRetry: number;
  readonly limits: RealtimeLimits;
}

/** Builds the details document for a request (URLs follow the request's host and scheme). */
export function connectionDetails(req: IncomingMessage, options: DetailsOptions): ConnectionDetails {
  const host = req.headers.host ?? 'localhost';
  const secure = 'encrypted' in req.socket && Boolean((req.socket as { encrypted?: boolean }).encrypted);
  return {
    websocket: {
      url: `${secure ? 'wss' : 'ws'}://${host}${options.path}`,
      protocol: SUBPROTOCOL,
      heartbeatInterval: options.limits.heartbeatInterval,
      // JSON has no Infinity: the largest safe integer stands for "never give up".
      reconnect: { maxRetries: Number.MAX_SAFE_INTEGER, minDelay: 500, maxDelay: 30_000 },
    },
    sse: {
      url: `${secure ? 'https' : 'http'}://${host}${options.ssePath}`,
      retry: options.sseRetry,
      // Exactly the events a stream carries (PROTOCOL.md §1.2, see SsePeer).
      events: ['subscribed', 'message', 'presence', 'error', 'broadcast', 'close'],
    },
    limits: {
      maxPayload: options.limits.maxPayload,
      maxBinaryPayload: options.limits.maxBinaryPayload,
      maxSubscriptions: options.limits.maxSubscriptions,
      maxInflight: options.limits.maxInflight,
    },
  };
}
