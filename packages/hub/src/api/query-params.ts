import { ErrorCode } from '@oxidite/protocol';
import { HttpError } from './http-error';

/**
 * Query parameters of the API, parsed strictly: what the OpenAPI document declares and nothing
 * else, so a client's typo (`limt=5`, `limit=0x10`) is a 400 naming the parameter instead of a
 * silently different answer. Every refusal is HttpError `invalid` with `<name>: <what it takes>`.
 */

/** Refuses a parameter the route does not take, and one given more than once. */
export function checkQueryNames(query: URLSearchParams, allowed: readonly string[]): void {
  const seen = new Set<string>();
  for (const name of query.keys()) {
    if (!allowed.includes(name)) throw new HttpError(ErrorCode.INVALID, `${name}: not a parameter of this route`);
    if (seen.has(name)) throw new HttpError(ErrorCode.INVALID, `${name}: given more than once`);
    seen.add(name);
  }
}

/** A decimal integer written plainly (no sign, exponent, hex, spaces or leading zeros) within the range. */
export function intParam(query: URLSearchParams, name: string, range: { min: number; max: number; fallback: number }) {
  const raw = query.get(name);
  if (raw === null) return range.fallback;
  const value = /^(0|[1-9][0-9]{0,15})$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(value >= range.min && value <= range.max)) {
    throw new HttpError(ErrorCode.INVALID, `${name}: an integer from ${range.min} to ${range.max}`);
  }
  return value;
}

/**
 * `true` or `false`, nothing else. Not `1`/`0` (which the SDK's own notification handler takes):
 * OpenAPI's `type: boolean` query parameters are written `true`/`false` by generated clients, and
 * one spelling keeps the hub's answers predictable.
 */
export function booleanParam(query: URLSearchParams, name: string, fallback: boolean): boolean {
  const raw = query.get(name);
  if (raw === null) return fallback;
  if (raw !== 'true' && raw !== 'false') throw new HttpError(ErrorCode.INVALID, `${name}: true or false`);
  return raw === 'true';
}
