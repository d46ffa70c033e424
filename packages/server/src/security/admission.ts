import type { IncomingMessage } from 'node:http';
import { CloseCode, ErrorCode, isRealtimeError } from '@oxidite/protocol';
import type { ClientAddressResolver } from './client-address';
import type { ConnectionCounter } from './connection-counter';
import { type MaybePromise, thenMaybe } from './maybe-async';
import type { OriginCheck } from './origin';
import type { Principal } from './principal';
import { principalProblem } from './principal-check';
import type { RateLimiter, RateRule } from './rate-limiter';
import { extractToken, type TokenSourceOptions } from './token-source';

/** What the auth hook gets: the raw request and the token found in it. */
export interface AuthRequest {
  readonly req: IncomingMessage;
  /** The bearer token from the header, cookie, query or subprotocol, if any. */
  readonly token: string | undefined;
  /** The client address (trusted proxies applied). */
  readonly remoteAddress: string;
  readonly origin: string | undefined;
}

/**
 * Authenticates an upgrade or SSE request. Return the principal, or null to refuse (HTTP 401 /
 * close 4401: the client may retry with a fresh token). Throw `new RealtimeError('forbidden', reason)`
 * to refuse for good (HTTP 403 / close 4403: the client stops). Without a hook every connection is
 * anonymous (`principal: null`).
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
  | {
      readonly ok: false;
      readonly status: number;
      readonly reason: string;
      readonly retryAfter?: number | undefined;
      /**
       * For authentication verdicts: the close code an Oxidite WebSocket client gets instead of the
       * HTTP status (a browser cannot read the status of a refused handshake).
       */
      readonly closeCode?: CloseCode | undefined;
    };

/** Everything admission checks, assembled by the server from its options. */
export interface AdmissionOptions {
  readonly auth: AuthHook | undefined;
  readonly tokens: TokenSourceOptions | undefined;
  readonly maxConnections: number;
  /** Open connections right now. */
  readonly connectionCount: () => number;
  readonly checkOrigin: OriginCheck;
  readonly resolveAddress: ClientAddressResolver;
  readonly rateLimiter: RateLimiter;
  readonly connectionRule: RateRule | false;
  readonly counter: ConnectionCounter;
  readonly maxPerAddress: number;
  readonly maxPerUser: number;
}

/**
 * Decides, before any upgrade or stream starts, whether a request may connect. The verdict is
 * synchronous when every check is (in-memory stores, no auth hook or a synchronous one): callers
 * handle both, and a synchronous throw like a rejection.
 */
export type Admit = (req: IncomingMessage) => MaybePromise<Admission>;

const seconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));

/**
 * Builds the admission check shared by the WebSocket and SSE transports. Cheap checks run first,
 * so a flood is refused before any token is verified: capacity (503), origin (403), connection
 * rate and per-address cap (429), authentication (401), a principal whose id the protocol cannot
 * carry (403: over 256 characters or empty), per-user cap (429).
 */
export function createAdmission(options: AdmissionOptions): Admit {
  return (req) => {
    if (options.connectionCount() >= options.maxConnections) {
      return { ok: false, status: 503, reason: 'server full', retryAfter: 5 };
    }
    const origin = req.headers.origin;
    const originVerdict = options.checkOrigin(origin, req.headers.host);
    if (!originVerdict.ok) return { ok: false, status: 403, reason: originVerdict.reason };
    const remoteAddress = options.resolveAddress(req);
    const rule = options.connectionRule;
    const decision = rule ? options.rateLimiter.consume(`connect:${remoteAddress}`, rule) : undefined;
    return thenMaybe(decision, (rate): MaybePromise<Admission> => {
      if (rate && !rate.allowed) {
        return { ok: false, status: 429, reason: 'too many connection attempts', retryAfter: seconds(rate.retryAfter) };
      }
      return thenMaybe(options.counter.byAddress(remoteAddress), (count): MaybePromise<Admission> => {
        if (count >= options.maxPerAddress) {
          return { ok: false, status: 429, reason: 'too many connections from this address', retryAfter: 5 };
        }
        if (!options.auth) return { ok: true, principal: null, remoteAddress, origin };
        return authenticate(options, req, remoteAddress, origin);
      });
    });
  };
}

/** The auth hook and what follows it: a principal the protocol can carry, the per-user cap. */
async function authenticate(
  options: AdmissionOptions,
  req: IncomingMessage,
  remoteAddress: string,
  origin: string | undefined,
): Promise<Admission> {
  const auth = options.auth as AuthHook;
  const token = extractToken(req, options.tokens);
  let principal: Principal | null;
  try {
    principal = await auth({ req, token, remoteAddress, origin });
  } catch (error) {
    if (isRealtimeError(error) && error.code === ErrorCode.FORBIDDEN) {
      return { ok: false, status: 403, reason: error.message, closeCode: CloseCode.FORBIDDEN };
    }
    principal = null;
  }
  if (!principal) return { ok: false, status: 401, reason: 'unauthorized', closeCode: CloseCode.UNAUTHORIZED };
  // 4403, not 4401: a fresh token names the same user, so retrying cannot help.
  const problem = principalProblem(principal);
  if (problem) return { ok: false, status: 403, reason: problem, closeCode: CloseCode.FORBIDDEN };
  if ((await options.counter.byUser(principal.id)) >= options.maxPerUser) {
    return { ok: false, status: 429, reason: 'too many connections for this user', retryAfter: 5 };
  }
  return { ok: true, principal, remoteAddress, origin };
}
