import type { IncomingMessage } from 'node:http';
import { formatOffset, parseOffset } from '@oxidite/protocol';

/** What an SSE request asks for. */
export interface SseRequest {
  /** Topics in request order (`?topic=a&topic=b` or `?topics=a,b`), de-duplicated. */
  readonly topics: readonly string[];
  /**
   * Resume positions by topic index, from `Last-Event-ID` (or the `lastEventId` parameter): each a
   * valid offset in its canonical form, or `''`. They are echoed in every `id:` line, so nothing
   * else of the client's text may pass (issue #14: CR/LF in it forged events on the victim's stream).
   */
  readonly positions: readonly string[];
  /** Topics named beyond {@link MAX_SSE_TOPICS}: not subscribed, reported in an `error` event. */
  readonly dropped: number;
}

/** Most topics one SSE request may name. */
export const MAX_SSE_TOPICS = 50;

/** Parses topics and resume positions from an SSE request. Never throws. */
export function parseSseRequest(req: IncomingMessage): SseRequest {
  const query = req.url?.includes('?') ? new URLSearchParams(req.url.slice(req.url.indexOf('?') + 1)) : undefined;
  const topics: string[] = [];
  for (const value of query?.getAll('topic') ?? []) topics.push(value);
  for (const list of query?.getAll('topics') ?? []) topics.push(...list.split(','));
  // Only spaces are trimmed (`?topics=a, b`): String#trim would also strip line separators and turn
  // a name the protocol refuses into another topic.
  const named = [...new Set(topics.map((topic) => topic.replace(/^ +| +$/g, '')).filter(Boolean))];
  const unique = named.slice(0, MAX_SSE_TOPICS);
  const header = req.headers['last-event-id'];
  const lastEventId = (Array.isArray(header) ? header[0] : header) ?? query?.get('lastEventId') ?? '';
  const positions = lastEventId.length > 0 && lastEventId.length <= 4_096 ? lastEventId.split(',') : [];
  return {
    topics: unique,
    positions: positions.length === unique.length ? positions.map(canonicalPosition) : [],
    dropped: named.length - unique.length,
  };
}

/** A position that parses as an offset, re-written from its parsed form; anything else is dropped. */
function canonicalPosition(position: string): string {
  const offset = parseOffset(position);
  return offset ? formatOffset(offset) : '';
}
