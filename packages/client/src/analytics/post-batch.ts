import { type AnalyticsEvent, ErrorCode, RealtimeError, utf8Encode } from '@oxidite/protocol';
import type { FetchLike } from './tracker-types';

/** The Fetch standard refuses a `keepalive` request once such bodies in flight pass 64 KiB. */
const KEEPALIVE_BYTES = 65_536;

/** What an HTTP status means for a batch, as an error code. */
const STATUS_CODES: Readonly<Record<number, string>> = {
  400: ErrorCode.INVALID,
  401: ErrorCode.UNAUTHORIZED,
  403: ErrorCode.FORBIDDEN,
  413: ErrorCode.TOO_LARGE,
  429: ErrorCode.RATE_LIMITED,
};

/** The body of a batch: `{ events }` as JSON, what the ingest endpoint and `AnalyticsBatchSchema` take. */
export function batchBody(events: readonly AnalyticsEvent[]): string {
  return JSON.stringify({ events });
}

/**
 * POSTs one batch as `application/json`, with `keepalive` so a send started just before the page
 * goes away still completes (a batch too large for the keepalive budget goes without it rather than
 * fail). Resolves with undefined on a 2xx answer, else with the error; never rejects.
 */
export async function postBatch(
  fetch: FetchLike,
  url: string,
  events: readonly AnalyticsEvent[],
): Promise<RealtimeError | undefined> {
  const body = batchBody(events);
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      keepalive: utf8Encode(body).byteLength <= KEEPALIVE_BYTES,
    });
    if (response.ok) return undefined;
    const code = STATUS_CODES[response.status] ?? ErrorCode.INTERNAL;
    return new RealtimeError(code, `the analytics endpoint answered HTTP ${response.status}`);
  } catch (error) {
    return new RealtimeError(ErrorCode.DISCONNECTED, 'the analytics request failed', { cause: error });
  }
}
