import { type ErrorEnvelope, isValidTopic } from '@oxidite/protocol';

/** Longest `error.code` and `error.message` the protocol accepts (PROTOCOL.md §2.2, `ErrorSchema`). */
const MAX_CODE = 64;
const MAX_MESSAGE = 1_024;

/** Optional fields of an error. */
export interface ErrorExtra {
  /** For `rate_limited`: ms until a retry can succeed. */
  readonly retryAfter?: number | undefined;
  /** The topic concerned; left out when it is not a valid topic name (it came from the client). */
  readonly topic?: string | undefined;
}

/**
 * Builds an `error` envelope that the protocol's own decoder accepts whatever went into it: the
 * topic, the message and the code can all hold client input or an app hook's text (an auth hook's
 * reason, a filter's verdict, an RPC handler's `RealtimeError`). An invalid topic is never echoed
 * in `topic` (the message may still name it: it is free text, JSON-escaped on every transport).
 */
export function errorEnvelope(
  id: number | undefined,
  code: string,
  message: string,
  extra: ErrorExtra = {},
): ErrorEnvelope {
  const envelope: ErrorEnvelope = {
    type: 'error',
    ...(id === undefined ? {} : { id }),
    code: code.length <= MAX_CODE ? code : 'internal',
    message: cut(message, MAX_MESSAGE),
  };
  if (extra.retryAfter !== undefined && Number.isFinite(extra.retryAfter)) {
    envelope.retryAfter = Math.min(Number.MAX_SAFE_INTEGER, Math.max(0, Math.ceil(extra.retryAfter)));
  }
  if (extra.topic !== undefined && isValidTopic(extra.topic)) envelope.topic = extra.topic;
  return envelope;
}

/** Cuts `text` to at most `max` UTF-16 code units without splitting a surrogate pair. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = /[\uD800-\uDBFF]/.test(text.charAt(max - 2)) ? max - 2 : max - 1;
  return `${text.slice(0, end)}…`;
}
