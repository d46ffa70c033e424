/** JWT authentication with `jose`: `auth` and `verifyToken` hooks, algorithms pinned to the key (RFC 8725 §3.1). */
import { createPublicKey } from 'node:crypto';
import type { CryptoKey, JWK, JWTPayload, JWTVerifyGetKey, JWTVerifyOptions, KeyObject } from 'jose';
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, SignJWT } from 'jose';
import type { AuthHook } from './admission';
import type { ConnectionInfo, Principal } from './principal';

/** Why a token was refused, as reported to `onError`. Short, safe to log, never the token. */
export const JWT_FAILURE = {
  MALFORMED: 'malformed',
  ALGORITHM_NOT_ALLOWED: 'algorithm not allowed',
  INVALID_SIGNATURE: 'invalid signature',
  NO_MATCHING_KEY: 'no matching key',
  KEY_UNAVAILABLE: 'key unavailable',
  UNVERIFIABLE: 'unverifiable',
  EXPIRED: 'expired',
  TOO_OLD: 'too old',
  NOT_YET_VALID: 'not yet valid',
  WRONG_AUDIENCE: 'wrong audience',
  WRONG_ISSUER: 'wrong issuer',
  INVALID_CLAIMS: 'invalid claims',
  MISSING_SUBJECT: 'missing subject',
  MISSING_EXPIRY: 'missing expiry',
  REJECTED: 'rejected',
} as const;

/** One of the {@link JWT_FAILURE} reasons. */
export type JwtFailure = (typeof JWT_FAILURE)[keyof typeof JWT_FAILURE];

/** Options of {@link createJwtAuth}. Give exactly one of `secret`, `publicKey` or `jwks`. */
export interface JwtAuthOptions {
  /**
   * Shared secret for HS256/384/512, UTF-8 encoded if a string; at least as many bytes as the hash
   * (32 for HS256, 64 for HS512), as RFC 7518 §3.2 requires. @default none
   */
  readonly secret?: string | Uint8Array | undefined;
  /** Public key: PEM (SPKI) text, a `CryptoKey` or a Node `KeyObject`. @default none */
  readonly publicKey?: string | CryptoKey | KeyObject | undefined;
  /**
   * A key set: a URL fetched and cached by jose (`https:`, or `http:` on loopback only), or an
   * inline `{ keys: [...] }`. Keys are picked by the token's `kid` and `alg`. @default none
   */
  readonly jwks?: URL | { readonly keys: readonly JWK[] } | undefined;
  /** Accepted `alg` values; `none` is never accepted. @default ['HS256'] with a secret, else ['RS256', 'ES256'] */
  readonly algorithms?: readonly string[] | undefined;
  /** Required `iss` (one of). @default not checked */
  readonly issuer?: string | readonly string[] | undefined;
  /** Required `aud` (one of). @default not checked */
  readonly audience?: string | readonly string[] | undefined;
  /** Leeway in seconds for `exp`, `nbf` (and `iat` with `maxTokenAge`), for clock skew. @default 5 */
  readonly clockTolerance?: number | undefined;
  /** Refuse tokens whose `iat` is older than this many seconds (requires `iat`). @default no limit */
  readonly maxTokenAge?: number | undefined;
  /**
   * Refuse tokens without an `exp` claim: a leaked token without one is valid forever, and a
   * connection authenticated by it is never asked to refresh. Set `false` only for tokens you can
   * revoke by other means. @default true
   */
  readonly requireExpiry?: boolean | undefined;
  /**
   * Maps verified claims to the principal; null refuses the token.
   * @default id = `sub` (a non-empty string, else refused), info = `{ name }` when a string
   * `name` claim exists, expiresAt = `exp` × 1000, claims = the payload
   */
  readonly principal?: ((payload: JWTPayload) => Principal | null) | undefined;
  /** Told why each token was refused (never with the token itself). @default none */
  readonly onError?: ((reason: JwtFailure) => void) | undefined;
  /** Clock in ms since the Unix epoch, for tests. @default Date.now */
  readonly now?: (() => number) | undefined;
}

/** The hooks built by {@link createJwtAuth}. */
export interface JwtAuth {
  /** The `auth` hook: verifies the request's token; no token or a bad one → null (401). */
  readonly auth: AuthHook;
  /** The `verifyToken` option (a {@link TokenVerifier}): verifies in-band refresh tokens. */
  readonly verifyToken: (token: string, connection: ConnectionInfo) => Promise<Principal | null>;
  /** Verifies one token. Never throws: a refused token resolves to null. */
  verify(token: string): Promise<Principal | null>;
  /**
   * Signs a token that `verify` accepts: `sub` = `subject`, the configured issuer and audience (the
   * first of each list), `iat`, and `exp` after `expiresIn`. For your login endpoint and tests. Only
   * with a `secret` (HMAC); with a public key or a key set the private key lives elsewhere, so this
   * throws a TypeError.
   */
  sign(subject: string, options?: JwtSignOptions): Promise<string>;
}

/** Options of {@link JwtAuth.sign}. */
export interface JwtSignOptions {
  /** More claims (e.g. `{ name: 'Ada', role: 'writer' }`); `sub`, `iss`, `aud`, `iat`, `exp` are set by `sign`. @default none */
  readonly claims?: Readonly<Record<string, unknown>> | undefined;
  /** Lifetime: seconds, or `'<n>s'`, `'<n>m'`, `'<n>h'`, `'<n>d'` (`'15m'`, `'2h'`). @default '1h' */
  readonly expiresIn?: number | string | undefined;
}

/** Supported algorithms by the kind of key each needs (so an HMAC can never use a public key). */
const ALGORITHM_KINDS = { hmac: /^HS(256|384|512)$/, asymmetric: /^(?:[RPE]S(256|384|512)|EdDSA|Ed25519)$/ } as const;
type KeyKind = keyof typeof ALGORITHM_KINDS;
const KEY_KINDS: readonly KeyKind[] = ['hmac', 'asymmetric'];
/** jose error codes (with the failed claim, when there is one) → reasons. */
const ERROR_FAILURES: Readonly<Record<string, JwtFailure>> = {
  ERR_JWT_EXPIRED: JWT_FAILURE.EXPIRED,
  'ERR_JWT_EXPIRED iat': JWT_FAILURE.TOO_OLD,
  ERR_JWT_CLAIM_VALIDATION_FAILED: JWT_FAILURE.INVALID_CLAIMS,
  'ERR_JWT_CLAIM_VALIDATION_FAILED nbf': JWT_FAILURE.NOT_YET_VALID,
  'ERR_JWT_CLAIM_VALIDATION_FAILED aud': JWT_FAILURE.WRONG_AUDIENCE,
  'ERR_JWT_CLAIM_VALIDATION_FAILED iss': JWT_FAILURE.WRONG_ISSUER,
  'ERR_JWT_CLAIM_VALIDATION_FAILED exp': JWT_FAILURE.MISSING_EXPIRY,
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: JWT_FAILURE.INVALID_SIGNATURE,
  ERR_JOSE_ALG_NOT_ALLOWED: JWT_FAILURE.ALGORITHM_NOT_ALLOWED,
  ERR_JOSE_NOT_SUPPORTED: JWT_FAILURE.UNVERIFIABLE,
  ERR_JWKS_NO_MATCHING_KEY: JWT_FAILURE.NO_MATCHING_KEY,
  ERR_JWKS_MULTIPLE_MATCHING_KEYS: JWT_FAILURE.NO_MATCHING_KEY,
  ERR_JWKS_TIMEOUT: JWT_FAILURE.KEY_UNAVAILABLE,
  ERR_JWKS_INVALID: JWT_FAILURE.KEY_UNAVAILABLE,
};
/** Larger than any header can carry (Node's default header limit is 16 KiB). */
const MAX_TOKEN_LENGTH = 16_384;
const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/** Marks a key set that could not be fetched (network error, non-200, bad JSON). */
class KeyUnavailableError extends Error {}

type VerifyKey = Uint8Array | CryptoKey | KeyObject | JWTVerifyGetKey;

function resolveAlgorithms(options: JwtAuthOptions, kind: KeyKind): string[] {
  const algorithms = [...(options.algorithms ?? (kind === 'hmac' ? ['HS256'] : ['RS256', 'ES256']))];
  if (algorithms.length === 0) throw new TypeError('algorithms must not be empty');
  for (const alg of algorithms) {
    const algKind = KEY_KINDS.find((candidate) => ALGORITHM_KINDS[candidate].test(alg));
    if (!algKind) throw new TypeError(`JWT algorithm ${JSON.stringify(alg)} is not supported ("none" never is)`);
    if (algKind !== kind) {
      throw new TypeError(`JWT algorithm ${alg} needs ${kind === 'hmac' ? 'a public key or jwks' : 'a secret'}`);
    }
  }
  return algorithms;
}

function secretKey(secret: string | Uint8Array, algorithms: readonly string[]): Uint8Array {
  const key = typeof secret === 'string' ? new TextEncoder().encode(secret) : new Uint8Array(secret);
  const needed = Math.max(...algorithms.map((alg) => Number(alg.slice(2)) / 8));
  if (key.length < needed) throw new TypeError(`secret must be at least ${needed} bytes for ${algorithms.join('/')}`);
  return key;
}

function publicKeyOf(publicKey: string | CryptoKey | KeyObject): CryptoKey | KeyObject {
  if (typeof publicKey !== 'string') {
    if (publicKey.type !== 'public') throw new TypeError('publicKey must be a public key (use secret for HMAC)');
    return publicKey;
  }
  try {
    return createPublicKey(publicKey);
  } catch (cause) {
    throw new TypeError('publicKey is not a PEM public key', { cause });
  }
}

function remoteKeySet(url: URL): JWTVerifyGetKey {
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.includes(url.hostname))) {
    throw new TypeError('jwks URL must use https: (http: only on loopback), or anyone on the path could swap keys');
  }
  const remote = createRemoteJWKSet(url);
  return (header, token) =>
    remote(header, token).catch((error: unknown) => {
      const isKeyMiss = error instanceof errors.JOSEError && error.code.startsWith('ERR_JWKS_');
      throw isKeyMiss ? error : new KeyUnavailableError('JWKS unavailable', { cause: error });
    });
}

function localKeySet(jwks: { readonly keys: readonly JWK[] }): JWTVerifyGetKey {
  try {
    return createLocalJWKSet({ keys: [...jwks.keys] });
  } catch (cause) {
    throw new TypeError('jwks is not a valid JSON Web Key Set', { cause });
  }
}

function resolveKey(options: JwtAuthOptions): { key: VerifyKey; algorithms: string[] } {
  const sources = [options.secret, options.publicKey, options.jwks].filter((source) => source !== undefined);
  if (sources.length !== 1) throw new TypeError('createJwtAuth needs exactly one of secret, publicKey or jwks');
  if (options.secret !== undefined) {
    const algorithms = resolveAlgorithms(options, 'hmac');
    return { key: secretKey(options.secret, algorithms), algorithms };
  }
  const algorithms = resolveAlgorithms(options, 'asymmetric');
  if (options.publicKey !== undefined) return { key: publicKeyOf(options.publicKey), algorithms };
  const jwks = options.jwks as URL | { readonly keys: readonly JWK[] };
  return { key: jwks instanceof URL ? remoteKeySet(jwks) : localKeySet(jwks), algorithms };
}

function classify(error: unknown): JwtFailure {
  if (error instanceof KeyUnavailableError) return JWT_FAILURE.KEY_UNAVAILABLE;
  // jose reports a key that does not suit the token's algorithm as JOSENotSupported or a TypeError.
  if (!(error instanceof errors.JOSEError)) return JWT_FAILURE.UNVERIFIABLE;
  const claim = 'claim' in error && typeof error.claim === 'string' ? error.claim : '';
  return ERROR_FAILURES[`${error.code} ${claim}`] ?? ERROR_FAILURES[error.code] ?? JWT_FAILURE.MALFORMED;
}

const isSeconds = (value: number, min: number): boolean => Number.isFinite(value) && value >= min;

const SPAN = /^(\d+)\s*([smhd])$/;
const SPAN_SECONDS = { s: 1, m: 60, h: 3_600, d: 86_400 } as const;

/** A `sign` lifetime in seconds; a TypeError for anything but a positive count or `<n>s|m|h|d`. */
function lifetimeSeconds(expiresIn: number | string): number {
  const match = typeof expiresIn === 'string' ? SPAN.exec(expiresIn.trim()) : null;
  const seconds = match ? Number(match[1]) * SPAN_SECONDS[match[2] as keyof typeof SPAN_SECONDS] : expiresIn;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) {
    throw new TypeError(`expiresIn must be positive seconds or like '15m', got ${JSON.stringify(expiresIn)}`);
  }
  return seconds;
}

/** The default claims → principal mapping; null when `sub` is missing or empty. */
function defaultPrincipal(payload: JWTPayload): Principal | null {
  if (typeof payload.sub !== 'string' || payload.sub === '') return null;
  return {
    id: payload.sub,
    ...(typeof payload['name'] === 'string' ? { info: { name: payload['name'] } } : {}),
    ...(typeof payload.exp === 'number' ? { expiresAt: payload.exp * 1000 } : {}),
    claims: payload,
  };
}

/**
 * Builds JWT verification for connection requests and in-band refresh. Invalid options (no key
 * source or several, `none` or an algorithm the key cannot serve, a short secret) throw a TypeError.
 *
 * @example
 * const { auth, verifyToken } = createJwtAuth({ secret: process.env.JWT_SECRET!, issuer: 'https://id.example.com' });
 * createRealtimeServer({ topics, auth, verifyToken });
 */
export function createJwtAuth(options: JwtAuthOptions): JwtAuth {
  const { key, algorithms } = resolveKey(options);
  const { clockTolerance = 5, maxTokenAge } = options;
  if (!isSeconds(clockTolerance, 0) || (maxTokenAge !== undefined && !isSeconds(maxTokenAge, 1))) {
    throw new TypeError('clockTolerance must be finite and >= 0, maxTokenAge finite and >= 1 (seconds)');
  }
  const toPrincipal = options.principal ?? defaultPrincipal;
  const { issuer, audience } = options;
  // Only the checks that are configured (jose's options type has no room for `undefined`).
  const baseOptions: JWTVerifyOptions = {
    algorithms,
    clockTolerance,
    requiredClaims: options.requireExpiry === false ? [] : ['exp'],
    ...(issuer === undefined ? {} : { issuer: typeof issuer === 'string' ? issuer : [...issuer] }),
    ...(audience === undefined ? {} : { audience: typeof audience === 'string' ? audience : [...audience] }),
    ...(maxTokenAge === undefined ? {} : { maxTokenAge }),
  };

  const refuse = (reason: JwtFailure): null => {
    try {
      options.onError?.(reason);
    } catch {
      // A failing reporter must not turn a refusal into an exception.
    }
    return null;
  };

  const verify = async (token: string): Promise<Principal | null> => {
    if (typeof token !== 'string' || !token || token.length > MAX_TOKEN_LENGTH) return refuse(JWT_FAILURE.MALFORMED);
    let payload: JWTPayload;
    try {
      const verifyOptions = options.now ? { ...baseOptions, currentDate: new Date(options.now()) } : baseOptions;
      ({ payload } = await jwtVerify(token, key, verifyOptions));
    } catch (error) {
      return refuse(classify(error));
    }
    let principal: Principal | null = null;
    try {
      principal = toPrincipal(payload);
    } catch {
      // A throwing mapping refuses the token, like returning null.
    }
    if (principal && typeof principal.id === 'string' && principal.id !== '') return principal;
    return refuse(options.principal ? JWT_FAILURE.REJECTED : JWT_FAILURE.MISSING_SUBJECT);
  };

  const sign = async (subject: string, signOptions: JwtSignOptions = {}): Promise<string> => {
    if (!(key instanceof Uint8Array)) {
      throw new TypeError('sign needs createJwtAuth({ secret }): the private key of a key pair is not here');
    }
    if (typeof subject !== 'string' || subject === '') throw new TypeError('sign needs a non-empty subject');
    const now = Math.floor((options.now?.() ?? Date.now()) / 1000);
    const lifetime = lifetimeSeconds(signOptions.expiresIn ?? '1h');
    let builder = new SignJWT({ ...signOptions.claims })
      .setProtectedHeader({ alg: algorithms[0] as string })
      .setSubject(subject)
      .setIssuedAt(now)
      .setExpirationTime(now + lifetime);
    const issuer = typeof options.issuer === 'string' ? options.issuer : options.issuer?.[0];
    const audience = typeof options.audience === 'string' ? options.audience : options.audience?.[0];
    if (issuer !== undefined) builder = builder.setIssuer(issuer);
    if (audience !== undefined) builder = builder.setAudience(audience);
    return builder.sign(key);
  };

  return {
    auth: (request) => (request.token ? verify(request.token) : null),
    verifyToken: (token) => verify(token),
    verify,
    sign,
  };
}
