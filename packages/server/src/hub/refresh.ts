import { CloseCode, ErrorCode, type Auth } from '@oxidite/protocol';
import { type Principal, principalProblem } from '../security';
import type { Connection } from './connection';
import type { HubContext } from './hub-context';

/** Time the client gets to answer a `refresh` with a fresh token, in ms. */
export const REFRESH_DEADLINE = 30_000;
/** How long before expiry the server asks for a fresh token, in ms. */
export const REFRESH_LEAD = 60_000;

/**
 * Schedules the token refresh of a connection whose principal expires: ask `REFRESH_LEAD` ms
 * before expiry (or at once if that has passed), then close with 4401 if no valid `auth` arrives
 * by the deadline (and never later than the expiry itself).
 */
export function scheduleRefresh(context: HubContext, connection: Connection): void {
  clearTimeout(connection.expiryTimer);
  clearTimeout(connection.refreshTimer);
  connection.expiryTimer = undefined;
  connection.refreshTimer = undefined;
  const expiresAt = connection.principal?.expiresAt;
  if (expiresAt === undefined) return;
  const now = context.now();
  const askIn = Math.max(0, expiresAt - now - REFRESH_LEAD);
  connection.expiryTimer = setTimeout(() => {
    const deadline = Math.max(0, Math.min(REFRESH_DEADLINE, expiresAt - context.now()));
    connection.send({ type: 'refresh', deadline });
    connection.refreshTimer = setTimeout(
      () => connection.peer.close(CloseCode.UNAUTHORIZED, 'token expired'),
      deadline,
    );
    connection.refreshTimer.unref?.();
  }, askIn);
  connection.expiryTimer.unref?.();
}

/** Handles `auth`: verify the new token; it must name the same principal. */
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
  if (connection.principal && principal.id !== connection.principal.id) {
    return connection.error(request.id, ErrorCode.FORBIDDEN, 'a token refresh cannot change the user');
  }
  context.counter.remove(connection.remoteAddress, connection.principal?.id);
  context.counter.add(connection.remoteAddress, principal.id);
  connection.principal = principal;
  scheduleRefresh(context, connection);
  connection.send({ type: 'ack', id: request.id });
}
