import { type Auth, CloseCode, ErrorCode } from '@oxidite/protocol';
import { type Principal, principalProblem } from '../security';
import type { Connection } from './connection';
import type { HubContext } from './hub-context';

/** The most the server asks ahead of a token's expiry, in ms. */
export const REFRESH_LEAD = 60_000;
/**
 * Frames the client may send beyond its rate limit while a refresh is awaited: its `auth` answer is
 * never refused into a 4401. A few, not unlimited, so an awaited refresh opens no flood.
 */
export const REFRESH_PASSES = 3;
/** `setTimeout` fires at once for delays above 2^31 − 1 ms (≈ 24.8 days); longer waits are re-armed. */
const MAX_TIMER = 2 ** 31 - 1;

/**
 * When to ask for a fresh token, in ms before expiry: a minute, or half the token's remaining
 * life when that is shorter. So a 20 s token is asked at 10 s, a 1 h token at 59 min, and a
 * freshly refreshed token never triggers a new `refresh` at once.
 */
export function refreshLead(remaining: number): number {
  return Math.min(REFRESH_LEAD, Math.max(0, remaining) / 2);
}

function clearTimers(connection: Connection): void {
  clearTimeout(connection.authTimer);
  connection.authTimer = undefined;
  connection.refreshPasses = 0;
}

/** `setTimeout` that waits in steps of at most {@link MAX_TIMER}; the handle lands on `connection.authTimer`. */
function armAt(context: HubContext, connection: Connection, at: number, run: () => void): void {
  const wait = Math.max(0, at - context.now());
  connection.authTimer = setTimeout(
    wait > MAX_TIMER ? () => armAt(context, connection, at, run) : run,
    Math.min(wait, MAX_TIMER),
  );
  connection.authTimer.unref?.();
}

/**
 * Schedules the token refresh of a connection whose principal expires: `refresh` at
 * {@link refreshLead} before expiry, then close with 4401 at the expiry itself unless a valid
 * `auth` arrived. The deadline sent is the time left until that close.
 */
export function scheduleRefresh(context: HubContext, connection: Connection): void {
  clearTimers(connection);
  const expiresAt = connection.principal?.expiresAt;
  if (expiresAt === undefined || !Number.isFinite(expiresAt)) return;
  const lead = refreshLead(expiresAt - context.now());
  armAt(context, connection, expiresAt - lead, () => {
    const deadline = Math.max(0, Math.round(expiresAt - context.now()));
    connection.refreshPasses = REFRESH_PASSES;
    connection.send({ type: 'refresh', deadline });
    // The timer that fired is replaced by the one that closes: one field serves both.
    connection.authTimer = setTimeout(() => connection.close(CloseCode.UNAUTHORIZED, 'token expired'), deadline);
    connection.authTimer.unref?.();
  });
}

/** Handles `auth`: verify the new token; it must name the same principal and not be expired. */
export async function refreshToken(context: HubContext, connection: Connection, request: Auth): Promise<void> {
  if (!context.verifyToken) {
    return connection.error(request.id, ErrorCode.UNAUTHORIZED, 'this server does not accept tokens');
  }
  let principal: Principal | null;
  try {
    principal = await context.verifyToken(request.token, connection.info());
  } catch {
    principal = null;
  }
  if (!principal) return connection.error(request.id, ErrorCode.UNAUTHORIZED, 'invalid token');
  const problem = principalProblem(principal);
  if (problem) return connection.error(request.id, ErrorCode.FORBIDDEN, problem);
  if (principal.expiresAt !== undefined && principal.expiresAt <= context.now()) {
    return connection.error(request.id, ErrorCode.UNAUTHORIZED, 'token expired');
  }
  if (connection.principal && principal.id !== connection.principal.id) {
    return connection.error(request.id, ErrorCode.FORBIDDEN, 'a token refresh cannot change the user');
  }
  context.counter.remove(connection.remoteAddress, connection.principal?.id);
  context.counter.add(connection.remoteAddress, principal.id);
  const current = connection.principal?.expiresAt;
  connection.principal = principal;
  // A token that ends no later (a provider's cached token, an opaque token of the same session)
  // keeps the schedule it has: rescheduled, it was asked for again at half the time left, and
  // again, a burst of refreshes up to the expiry. The 4401 at the expiry decides.
  const isLater = principal.expiresAt === undefined || current === undefined || principal.expiresAt > current;
  if (isLater) scheduleRefresh(context, connection);
  connection.send({ type: 'ack', id: request.id });
}
