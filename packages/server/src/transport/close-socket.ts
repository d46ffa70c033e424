import { CloseCode, trimCloseReason } from '@oxidite/protocol';
import type { WebSocket } from 'ws';
import type { RealtimeStats } from '../observability';

/** Counts a close the server initiated, by code (one place, so every close shows in `stats().closes`). */
export function countClose(stats: RealtimeStats, code: CloseCode): void {
  stats.closes[code] = (stats.closes[code] ?? 0) + 1;
  // Inside an open connection, 1013 only ever means "fell behind" (a full server refuses with HTTP 503).
  if (code === CloseCode.TRY_AGAIN_LATER) stats.slowConsumersClosed++;
}

/**
 * The one way the server closes a WebSocket: a typed code, the reason trimmed to 123 UTF-8 bytes
 * on a character boundary (`ws` throws a RangeError for longer reasons, which would surface as an
 * unhandled rejection and end the process), counted in stats. Never throws.
 */
export function closeWebSocket(ws: WebSocket, code: CloseCode, reason: string, stats: RealtimeStats): void {
  countClose(stats, code);
  try {
    ws.close(code, trimCloseReason(reason));
  } catch {
    ws.terminate(); // not open yet or already gone: nothing can be said, so just cut
  }
}
