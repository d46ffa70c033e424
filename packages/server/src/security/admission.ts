import type { IncomingMessage } from 'node:http';
import type { Principal } from './principal';
import { extractToken, type TokenSourceOptions } from './token-source';

/** What the auth hook gets: the raw request and the token found in it. */
export interface AuthRequest {
  readonly req: IncomingMessage;
  /** The bearer token from the header, cookie, query or subprotocol, if any. */
  readonly token: string | undefined;
  readonly remoteAddress: string;
  readonly origin: string | undefined;
}

/**
 * Authenticates an upgrade or SSE request. Return the principal, or null to refuse (HTTP 401).
 * Without a hook every connection is anonymous (`principal: null`).
 */
export type AuthHook = (request: AuthRequest) => Principal | null | Promise<Principal | null>;

/** The verdict on an incoming connection request. */
export type Admission =
  | {
      readonly ok: true;
      readonly principal: Principal | null;
      readonly remoteAddress: string;
      readonly origin: string | undefined;
    }
  | { readonly ok: false; readonly status: number; readonly reason: string; readonly retryAfter?: number };

/** Options of {@link createAdmission}. */
export interface AdmissionOptions {
  readonly auth: AuthHook | undefined;
  readonly tokens: TokenSourceOptions | undefined;
  readonly maxConnections: number;
  /** Open connections right now. */
  readonly connectionCount: () => number;
}

/** Decides, before any upgrade or stream starts, whether a request may connect. */
export type Admit = (req: IncomingMessage) => Promise<Admission>;

/** Builds the admission check shared by the WebSocket and SSE transports. */
export function createAdmission(options: AdmissionOptions): Admit {
  return async (req) => {
    if (options.connectionCount() >= options.maxConnections) {
      return { ok: false, status: 503, reason: 'server full', retryAfter: 5 };
    }
    const remoteAddress = req.socket.remoteAddress ?? 'unknown';
    const origin = req.headers.origin;
    if (!options.auth) return { ok: true, principal: null, remoteAddress, origin };
    const token = extractToken(req, options.tokens);
    let principal: Principal | null;
    try {
      principal = await options.auth({ req, token, remoteAddress, origin });
    } catch {
      principal = null;
    }
    if (!principal) return { ok: false, status: 401, reason: 'unauthorized' };
    return { ok: true, principal, remoteAddress, origin };
  };
}
