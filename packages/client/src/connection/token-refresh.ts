import { ErrorCode, RealtimeError } from '@oxidite/protocol';
import type { ResolvedOptions } from '../options';
import { after, type Cancel, noop } from '../util/timers';

/** `atob` is in every browser and on Node ≥ 16; reached through `globalThis` (no DOM declarations). */
interface Base64Globals {
  atob(base64: string): string;
}

/** The `exp` claim of a JWT (not verified here); NaN (from `Number(undefined)` too) for a token that has none or is no JWT. */
function expiry(token: string): number {
  try {
    const payload = (token.split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/');
    return Number(JSON.parse((globalThis as unknown as Base64Globals).atob(payload)).exp);
  } catch {
    return Number.NaN;
  }
}

/**
 * Whether `next` can extend a connection that holds `current`: another token, and when both are
 * JWTs with an `exp`, a later one. Opaque tokens cannot be compared beyond their text (NaN
 * compares false, so a token without a readable `exp` counts as fresher when it differs).
 */
export function isFresher(next: string, current: string | undefined): boolean {
  return next !== current && !(expiry(next) <= expiry(current ?? ''));
}

/** What a token refresh needs from the client. */
export interface TokenRefreshHooks {
  /** Sends `auth` with `token` on the live connection, if any; `accepted` runs on the server's ack. */
  send(token: string, accepted: () => void): void;
  /** A failure the application may want to know about. */
  report(error: RealtimeError): void;
}

/** The token refresh of a client: told when a connection opens or ends, and of each `refresh`. */
export interface TokenRefresh {
  /**
   * A connection opened with `token` (the one the server now holds), or, without one, the
   * connection ended or the client closed: no more asks for the previous connection.
   */
  reset(token?: string): void;
  /** The server wants a fresh token within `deadline` ms. */
  refresh(deadline: number): void;
}

/**
 * Answers the server's `refresh` (PROTOCOL.md §4.5) with a token fresher than the one the server
 * holds, and nothing else. The server measures a token's life from when it accepted it and asks
 * again at half the time left, so a provider that caches its token, answered back each time,
 * was asked in a loop that tightened until the expiry (12 asks from 1.6 s to 3.1 s of a 4 s JWT). A
 * stale answer gets one more ask halfway to the deadline, for a cache that renews shortly before
 * expiry; after that the server's 4401 at the expiry decides, as it would for a refused token.
 */
export function createTokenRefresh(token: ResolvedOptions['token'], hooks: TokenRefreshHooks): TokenRefresh {
  /** The token the server holds for the live connection. */
  let held: string | undefined;
  /** Bumped by every reset: a provider's answer that comes later belongs to no connection. */
  let generation = 0;
  let cancel: Cancel = noop;
  /** Asks the provider; `deadline` > 0: the time left for one more ask if this one brings nothing fresher. */
  const ask = async (deadline: number): Promise<void> => {
    const asked = generation;
    let fresh: string | undefined;
    try {
      fresh = typeof token === 'function' ? await token() : token;
    } catch (error) {
      return hooks.report(new RealtimeError(ErrorCode.UNAUTHORIZED, 'the token provider failed', { cause: error }));
    }
    if (asked !== generation) return;
    if (fresh && isFresher(fresh, held)) {
      const sent = fresh;
      hooks.send(sent, () => {
        held = sent;
      });
    } else if (deadline > 0) cancel = after(deadline / 2, () => void ask(0));
  };
  return {
    reset(bearer) {
      generation++;
      cancel();
      held = bearer;
    },
    refresh(deadline) {
      cancel();
      void ask(deadline);
    },
  };
}
