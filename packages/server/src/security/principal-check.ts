import type { Principal } from './principal';

/** Longest principal id: presence `user` fields are capped at this by the protocol (`MemberSchema`). */
export const MAX_PRINCIPAL_ID_LENGTH = 256;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Why a principal returned by an auth hook or a token verifier cannot be used, or undefined when
 * it can. Its id travels in presence (`subscribed.presence`, joins, leaves): an id the protocol
 * rejects would make every client in the room drop those envelopes, so it is refused where it is
 * accepted, not trimmed where it is sent.
 */
export function principalProblem(principal: Principal): string | undefined {
  const { id } = principal as { id: unknown };
  if (typeof id !== 'string' || id.length === 0) return 'user id must be a non-empty string';
  if (id.length > MAX_PRINCIPAL_ID_LENGTH) return `user id longer than ${MAX_PRINCIPAL_ID_LENGTH} characters`;
  // A newline in an id would split a log line or a header wherever the id is written.
  if (CONTROL.test(id)) return 'user id has a control character';
  return undefined;
}
