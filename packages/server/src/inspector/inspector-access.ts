import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { type Admit, type ClientAddressResolver, INSPECTOR_PRINCIPAL } from '../security';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** Compares a request's `access_token` query parameter with the secret, in constant time. */
export function createTokenCheck(secret: string): (req: IncomingMessage) => boolean {
  const expected = digest(secret);
  return (req) => {
    const token = new URL(req.url ?? '/', 'http://localhost').searchParams.get('access_token');
    return token !== null && timingSafeEqual(digest(token), expected);
  };
}

/**
 * Admits the inspector's own connection by its secret, before (and instead of) the app's
 * admission; any other request, a wrong secret included, goes through the app's admission with
 * its rate limits, so guessing the secret costs what guessing a user's token does.
 */
export function admitInspector(
  admit: Admit,
  isInspectorRequest: (req: IncomingMessage) => boolean,
  resolveAddress: ClientAddressResolver,
): Admit {
  return (req) => {
    if (!isInspectorRequest(req)) return admit(req);
    return { ok: true, principal: INSPECTOR_PRINCIPAL, remoteAddress: resolveAddress(req), origin: req.headers.origin };
  };
}
