import { createJwtAuth, type JwtAuth, type Principal } from '@oxidite/server';
import { SignJWT } from 'jose';
import type { Identity } from './identity';

const ISSUER = 'oxidite-demo';
const AUDIENCE = 'oxidite-demo';
/** Long enough for a demo session, in ms. */
const LIFETIME_MS = 12 * 60 * 60 * 1000;

/** Issues and verifies the demo's login tokens (HS256). */
export interface TokenService {
  /** The `auth` and `verifyToken` hooks for `createRealtimeServer`, and `verify` for the HTTP API. */
  readonly jwt: JwtAuth;
  /** Signs a token for `identity`: `sub` is the user id, `name` the display name (shared through presence). */
  issue(identity: Identity): Promise<{ token: string; expiresAt: number }>;
}

/** Creates the token service on one secret. */
export function createTokenService(secret: string | Uint8Array): TokenService {
  const key = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret;
  const jwt = createJwtAuth({ secret: key, issuer: ISSUER, audience: AUDIENCE });
  return {
    jwt,
    async issue(identity) {
      const expiresAt = Math.floor((Date.now() + LIFETIME_MS) / 1000) * 1000;
      const token = await new SignJWT({ name: identity.name })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(identity.id)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(expiresAt / 1000)
        .sign(key);
      return { token, expiresAt };
    },
  };
}

/** The display name of a principal made by the default JWT mapping (`info: { name }`). */
export function displayName(principal: Principal | null): string | undefined {
  const info = principal?.info;
  if (typeof info !== 'object' || info === null) return undefined;
  const name = (info as { name?: unknown }).name;
  return typeof name === 'string' ? name : undefined;
}
