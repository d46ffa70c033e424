import { ErrorCode, type ReconnectAdvice, reconnectAdvice } from '@oxidite/protocol';
import type { SseRequestEnd } from './sse-request';

/** Why an attempt failed, for the state change and the error. */
export interface Failure {
  readonly code: string;
  readonly reason: string;
  readonly status?: number | undefined;
  readonly retryAfter?: number | undefined;
}

/** How a stream ended: the request's own end, or the server's `close` event. */
export type StreamEnd = SseRequestEnd | { readonly kind: 'closed'; readonly code: number; readonly reason: string };

/**
 * What to do after `end`: the server's close code decides as on WebSocket (`reconnectAdvice`);
 * of the HTTP answers only 403 (refused), 401 (a fresh token may help, once) and 204 (the WHATWG
 * "stop reconnecting") are final; anything else (5xx, 429, a proxy's 404) may pass.
 */
export function adviceFor(end: StreamEnd): ReconnectAdvice {
  if (end.kind === 'closed') return reconnectAdvice(end.code);
  if (end.kind !== 'status') return 'reconnect';
  if (end.status === 401) return 'refresh-token';
  return end.status === 403 || end.status === 204 ? 'stop' : 'reconnect';
}

const STATUS_CODES: Record<number, string> = {
  401: ErrorCode.UNAUTHORIZED,
  403: ErrorCode.FORBIDDEN,
  429: ErrorCode.RATE_LIMITED,
};

export function describe(end: StreamEnd): Failure {
  switch (end.kind) {
    case 'status': {
      const code = STATUS_CODES[end.status] ?? ErrorCode.DISCONNECTED;
      const reason = `the server answered HTTP ${end.status}${end.status === 200 ? ` with ${end.type}, not an event stream` : ''}`;
      return {
        code,
        reason,
        status: end.status,
        retryAfter: end.retryAfter,
      };
    }
    case 'network':
      return { code: ErrorCode.DISCONNECTED, reason: 'connection lost' };
    case 'ended':
      return { code: ErrorCode.DISCONNECTED, reason: 'the server ended the stream' };
    case 'closed':
      return { code: ErrorCode.DISCONNECTED, reason: end.reason };
  }
}
