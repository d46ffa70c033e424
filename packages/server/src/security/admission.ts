import type { IncomingMessage } from 'node:http';
import { CloseCode, ErrorCode, isRealtimeError } from '@oxidite/protocol';
import type { ClientAddressResolver } from './client-address';
import type { ConnectionCounter } from './connection-counter';
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
       * For origin and authentication verdicts: the close code an Oxidite WebSocket client gets instead of the
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
 * Whether a user already holds `maxPerUser` connections: admission's last check, asked again by a
 * transport that awaits more before it opens (SSE authorizes its topics first), so that parallel
 * requests of one user cannot all pass it while none is open yet.
 */
export type UserCapCheck = (userId: string) => boolean | Promise<boolean>;

/**
 * The per-user cap check of {@link createAdmission}, for transports to ask again. Synchronous with
 * a synchronous counter (the in-memory one): a transport that opens right after its answer leaves
 * no gap in which another request could read the same count.
 */
export function createUserCapCheck(options: Pick<AdmissionOptions, 'counter' | 'maxPerUser'>): UserCapCheck {
  return (userId) => {
    const count = options.counter.byUser(userId);
    return typeof count === 'number' ? count >= options.maxPerUser : count.then((n) => n >= options.maxPerUser);
  };
}

/** Decides, before any upgrade or stream starts, whether a request may connect. */
export type Admit = (req: IncomingMessage) => Promise<Admission>;

const seconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));

/**
 * Builds the admission check shared by the WebSocket and SSE transports. Cheap checks run first,
 * so a flood is refused before any token is verified: capacity (503), connection rate (429),
 * origin (403, or 1008 after the handshake), per-address cap (429), authentication (401), a
 * principal whose id the protocol cannot carry (403: over 256 characters or empty), per-user cap (429).
 */
export function createAdmission(options: AdmissionOptions): Admit {
  const isUserFull = createUserCapCheck(options);
  return async (req) => {
    if (options.connectionCount() >= options.maxConnections) {
      return { ok: false, status: 503, reason: 'server full', retryAfter: 5 };
    }
    const remoteAddress = options.resolveAddress(req);
    if (options.connectionRule) {
      const decision = await options.rateLimiter.consume(`connect:${remoteAddress}`, options.connectionRule);
      if (!decision.allowed) {
        return {
          ok: false,
          status: 429,
          reason: 'too many connection attempts',
          retryAfter: seconds(decision.retryAfter),
        };
      }
    }
    // After the attempt is charged: a refused origin may get a handshake (to read 1008), never for free.
    const origin = req.headers.origin;
    const originVerdict = options.checkOrigin(origin, req.headers.host);
    if (!originVerdict.ok) {
      return { ok: false, status: 403, reason: originVerdict.reason, closeCode: CloseCode.POLICY_VIOLATION };
    }
    if ((await options.counter.byAddress(remoteAddress)) >= options.maxPerAddress) {
      return { ok: false, status: 429, reason: 'too many connections from this address', retryAfter: 5 };
    }
    if (!options.auth) return { ok: true, principal: null, remoteAddress, origin };
    const token = extractToken(req, options.tokens);
    let principal: Principal | null;
    try {
      principal = await options.auth({ req, token, remoteAddress, origin });
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
    // Let in, it would be closed at once and the client's next token is often the same one (a
    // verifier's clock tolerance admits it): refused here, its second 4401 in a row stops it.
    if (principal.expiresAt !== undefined && principal.expiresAt <= Date.now()) {
      return { ok: false, status: 401, reason: 'token expired', closeCode: CloseCode.UNAUTHORIZED };
    }
    if (await isUserFull(principal.id)) {
      return { ok: false, status: 429, reason: 'too many connections for this user', retryAfter: 5 };
    }
    return { ok: true, principal, remoteAddress, origin };
  };
}
