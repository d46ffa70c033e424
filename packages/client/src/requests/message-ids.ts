import { randomSessionId } from '../analytics/session-id';

/**
 * Message ids for publishes (issue #20): a random prefix per client, so ids never collide with
 * another client's and cannot be guessed to pre-empt them, and a counter, so each publish of
 * this client has its own. `<uuid>:<counter in base 36>` stays within the protocol's 64
 * characters for any safe integer.
 */
export function createMessageIds(): () => string {
  const prefix = randomSessionId();
  let counter = 0;
  return () => `${prefix}:${(++counter).toString(36)}`;
}
