/**
 * The one table of close codes and error codes, shared by server and client.
 *
 * Close codes follow RFC 6455 §7.4 (1000–1015) plus the 4000–4999 private range, where we mirror
 * HTTP statuses the way graphql-ws does (4401 ≈ 401, 4403 ≈ 403, 4429 ≈ 429).
 */

/** WebSocket close codes used by Oxidite Realtime. */
export const CloseCode = {
  /** Normal closure: the peer asked for it (e.g. `client.close()`). */
  NORMAL: 1000,
  /** Going away: the server is shutting down or restarting; reconnect (possibly elsewhere). */
  GOING_AWAY: 1001,
  /** Abnormal closure (never sent on the wire; reported by the runtime when the TCP link drops). */
  ABNORMAL: 1006,
  /** Protocol error: a frame broke RFC 6455 (bad opcode, unmasked client frame, bad fragmentation); sent by the WebSocket layer. */
  PROTOCOL_ERROR: 1002,
  /** Invalid frame payload data: a text frame that is not UTF-8; sent by the WebSocket layer. */
  INVALID_PAYLOAD: 1007,
  /** Policy violation: refused origin, unsupported subprotocol, malformed traffic. */
  POLICY_VIOLATION: 1008,
  /** A frame exceeded `maxPayload`. */
  MESSAGE_TOO_BIG: 1009,
  /** The server hit an unexpected condition. */
  INTERNAL_ERROR: 1011,
  /** Try again later: server full, or this connection fell behind (slow consumer). */
  TRY_AGAIN_LATER: 1013,
  /** Authentication missing, invalid, or not refreshed in time. */
  UNAUTHORIZED: 4401,
  /** Authenticated but not allowed to connect. */
  FORBIDDEN: 4403,
  /** Sustained rate-limit abuse. */
  RATE_LIMITED: 4429,
} as const;

/** One of the {@link CloseCode} values. */
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** What a client should do after a close with a given code. */
export type ReconnectAdvice =
  /** Reconnect with backoff. */
  | 'reconnect'
  /** Fetch a fresh token once, then reconnect; stop if that fails again. */
  | 'refresh-token'
  /** Do not reconnect; the condition will not go away by itself. */
  | 'stop';

// Only the codes that do not mean `reconnect` (the default, also for codes this version does not
// know): going away, abnormal closes, 1002/1007 (a middlebox can corrupt frames too), 1009, 1011,
// 1013 and 4429 all reconnect with backoff.
const ADVICE: Record<number, ReconnectAdvice> = {
  [CloseCode.NORMAL]: 'stop',
  [CloseCode.POLICY_VIOLATION]: 'stop',
  [CloseCode.UNAUTHORIZED]: 'refresh-token',
  [CloseCode.FORBIDDEN]: 'stop',
};

/**
 * What a client should do after the connection closed with `code`.
 * Unknown codes (including other 1xxx codes reported by proxies) reconnect: giving up on a code we
 * do not know would turn a transient proxy error into a permanently dead client.
 */
export function reconnectAdvice(code: number): ReconnectAdvice {
  return ADVICE[code] ?? 'reconnect';
}

/** Error codes carried by `error` envelopes (and by `RealtimeError.code`). */
export const ErrorCode = {
  /** The frame was not valid JSON. */
  MALFORMED: 'malformed',
  /** The envelope `type` is not part of the protocol. */
  UNKNOWN_TYPE: 'unknown_type',
  /** The envelope or payload failed schema validation; `message` names the path. */
  INVALID: 'invalid',
  /** The frame or a field exceeded a size limit. */
  TOO_LARGE: 'too_large',
  /** The topic is not declared by the server's topic map, or malformed. */
  UNKNOWN_TOPIC: 'unknown_topic',
  /** The RPC method is not registered. */
  UNKNOWN_METHOD: 'unknown_method',
  /** Authentication required or token invalid. */
  UNAUTHORIZED: 'unauthorized',
  /** The principal may not do this on this topic. */
  FORBIDDEN: 'forbidden',
  /** Too many requests; `retryAfter` (ms) says when to try again. */
  RATE_LIMITED: 'rate_limited',
  /** A per-connection limit (e.g. subscriptions) was reached. */
  LIMIT_EXCEEDED: 'limit_exceeded',
  /** The message filter hook rejected the publish. */
  REJECTED: 'rejected',
  /** No reply within the deadline (client side). */
  TIMEOUT: 'timeout',
  /** The connection closed before the request completed (client side). */
  DISCONNECTED: 'disconnected',
  /** The offline queue is full or the queued request expired (client side). */
  QUEUE_FULL: 'queue_full',
  /** The server failed unexpectedly. */
  INTERNAL: 'internal',
} as const;

/** One of the {@link ErrorCode} values. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Error codes after which retrying the same request can succeed. */
export function isRetryableError(code: string): boolean {
  return (
    code === ErrorCode.RATE_LIMITED ||
    code === ErrorCode.TIMEOUT ||
    code === ErrorCode.DISCONNECTED ||
    code === ErrorCode.INTERNAL
  );
}
