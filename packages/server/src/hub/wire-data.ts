import { DEFAULT_MAX_DEPTH, exceedsJsonDepth } from '@oxidite/protocol';

/**
 * A `data` field the protocol can carry: JSON drops a key whose value is `undefined`, a function
 * or a symbol, and an envelope without `data` fails the client's decoder (`reply.data: required`).
 * Such values travel as `null`, like an RPC handler that returns nothing.
 */
export function wireData(value: unknown): unknown {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol' ? null : value;
}

/**
 * Whether clients can decode `json`: their decoders refuse JSON nested deeper than
 * `DEFAULT_MAX_DEPTH` (32) levels and drop the frame, so a message, reply or broadcast deeper than
 * that would be lost on every client (a message replayed from history, lost again). `wrapping` is
 * how many levels the envelope adds around `json` (1 for a payload inside a `message`).
 */
export function isDecodable(json: string, wrapping = 0): boolean {
  return !exceedsJsonDepth(json, DEFAULT_MAX_DEPTH - wrapping);
}

/** The message of a value {@link isDecodable} refused. */
export const tooDeep = (what: string, wrapping = 0): string =>
  `${what} nested deeper than ${DEFAULT_MAX_DEPTH - wrapping} levels: clients cannot decode it`;
