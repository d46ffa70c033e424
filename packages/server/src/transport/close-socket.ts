import { CloseCode, trimCloseReason } from '@oxidite/protocol';
import type { WebSocket } from 'ws';
import type { RealtimeStats } from '../observability';

/**
 * Every close the server initiates passes here, whatever the transport: counts it by code in
 * `stats().closes` and returns the reason trimmed to 123 UTF-8 bytes on a character boundary
 * (RFC 6455 §5.5: `ws` throws a RangeError for a longer one; SSE keeps the same limit so that a
 * client sees the same reason on both transports).
 */
export function recordClose(stats: RealtimeStats, code: CloseCode, reason: string): string {
  stats.closes[code] = (stats.closes[code] ?? 0) + 1;
  // Inside an open connection, 1013 only ever means "fell behind" (a full server refuses with HTTP 503).
  if (code === CloseCode.TRY_AGAIN_LATER) stats.slowConsumersClosed++;
  return trimCloseReason(reason);
}

/**
 * The one way the server closes a WebSocket: a typed code, the reason trimmed and the close
 * counted by {@link recordClose}. Never throws (an unhandled RangeError would end the process).
 */
export function closeWebSocket(ws: WebSocket, code: CloseCode, reason: string, stats: RealtimeStats): void {
  const trimmed = recordClose(stats, code, reason);
  try {
    ws.close(code, trimmed);
  } catch {
    ws.terminate(); // not open yet or already gone: nothing can be said, so just cut
  }
}

/**
 * Cuts a WebSocket without a close frame (the peer is presumed dead: it stopped answering pings),
 * counted under 1006, the code its client will see.
 */
export function cutWebSocket(ws: WebSocket, stats: RealtimeStats): void {
  recordClose(stats, CloseCode.ABNORMAL, '');
  ws.terminate();
}
