/**
 * Message ids for publishes (issue #20): a random prefix per client, so ids never collide with
 * another client's and cannot be guessed to pre-empt them, and a counter, so each publish of
 * this client has its own: `<3 random 32-bit words in base 36>:<counter in base 36>`, within the
 * protocol's 64 characters for any safe integer. Not `randomSessionId()`, whose UUID costs the
 * browser bundle ~120 B more: every supported runtime (browsers, Node ≥ 20) has
 * `crypto.getRandomValues`; the `Math.random` fallback only keeps an exotic one working.
 */
export function createMessageIds(): () => string {
  const { crypto } = globalThis as { crypto?: { getRandomValues?(array: Uint32Array): Uint32Array } };
  const words = crypto?.getRandomValues?.(new Uint32Array(3)) ?? [Math.random() * 2 ** 32, Date.now(), 0];
  const prefix = Array.from(words, (word) => Math.floor(word).toString(36)).join('.');
  let counter = 0;
  return () => `${prefix}:${(++counter).toString(36)}`;
}
