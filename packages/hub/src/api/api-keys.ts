import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ApiKeyConfig, ApiScope } from '../config/schema';

/** sha256 of a key, lowercase hex: what the config stores instead of the key. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The outcome of checking a request's key against a scope. */
export type KeyCheck =
  | { readonly ok: true; readonly name: string }
  | {
      readonly ok: false;
      readonly status: 401 | 403;
      readonly code: 'unauthorized' | 'forbidden';
      readonly message: string;
    };

/** Checks API keys: by digest, in constant time, and by scope. */
export interface ApiKeyring {
  check(req: IncomingMessage, scope: ApiScope): KeyCheck;
}

/** `Bearer <key>`, the scheme in any case (RFC 9110 §11.1: auth schemes are case-insensitive). */
const BEARER = /^bearer +(\S+)\s*$/i;

/**
 * The key of a request: `Authorization: Bearer <key>`, else `X-Api-Key: <key>`. An `Authorization`
 * header of another scheme is ignored; one of this scheme decides, whatever `X-Api-Key` says.
 */
function keyOf(req: IncomingMessage): string | undefined {
  const bearer = BEARER.exec(req.headers.authorization ?? '');
  if (bearer) return bearer[1];
  const header = req.headers['x-api-key'];
  return typeof header === 'string' ? header.trim() : undefined;
}

/**
 * Creates the keyring. Every stored digest is compared, whether or not one already matched, so the
 * time taken says nothing about which key (or how much of a digest) was right.
 */
export function createApiKeyring(keys: readonly ApiKeyConfig[]): ApiKeyring {
  const stored = keys.map((key) => ({ ...key, digest: Buffer.from(key.sha256, 'hex') }));
  return {
    check(req, scope) {
      const key = keyOf(req);
      if (!key) return { ok: false, status: 401, code: 'unauthorized', message: 'missing API key' };
      const digest = createHash('sha256').update(key, 'utf8').digest();
      let found: (typeof stored)[number] | undefined;
      for (const candidate of stored) if (timingSafeEqual(candidate.digest, digest) && !found) found = candidate;
      if (!found) return { ok: false, status: 401, code: 'unauthorized', message: 'invalid API key' };
      if (!found.scopes.includes(scope) && !found.scopes.includes('admin')) {
        return {
          ok: false,
          status: 403,
          code: 'forbidden',
          message: `API key "${found.name}" lacks the ${scope} scope`,
        };
      }
      return { ok: true, name: found.name };
    },
  };
}
