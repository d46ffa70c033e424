import type { IncomingMessage } from 'node:http';

/** What an `Origin` (or a header list) may hold to be echoed: printable ASCII, no spaces. */
const ECHOABLE = /^[\x21-\x7e]{1,2048}$/;
/** `Access-Control-Request-Headers`: a comma-separated list of header names. */
const HEADER_NAMES = /^[A-Za-z0-9-]+(?:\s*,\s*[A-Za-z0-9-]+){0,31}$/;

/**
 * CORS headers for an answer of the SSE endpoint. A page reads a stream from another origin with
 * `fetch` only if the answer names its origin; otherwise the browser hides every answer, refusals
 * included, and the client sees a network error and retries for ever. So every answer to a request
 * that names its origin names it back: the stream (only ever served to an origin admission
 * allowed), and each refusal (403 `origin not allowed`, 401, 429 with `Retry-After`), so that the
 * page's client reads the status and stops or waits. A refused origin reads nothing but its
 * refusal. Credentialed: a stream authenticated by a cookie needs it.
 */
export function corsHeaders(req: IncomingMessage): Record<string, string> {
  const origin = req.headers.origin;
  if (origin === undefined || !ECHOABLE.test(origin)) return {};
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-credentials': 'true',
    'access-control-expose-headers': 'retry-after',
    vary: 'origin',
  };
}

/**
 * The answer to a CORS preflight (a `fetch` with headers beyond the safelisted ones, such as
 * `Authorization`): the methods and the requested headers. The GET that follows is still
 * admitted like any other (origin, auth, limits).
 */
export function preflightHeaders(req: IncomingMessage): Record<string, string> {
  const headers = corsHeaders(req);
  if (!headers['access-control-allow-origin']) return headers;
  headers['access-control-allow-methods'] = 'GET, HEAD';
  headers['access-control-max-age'] = '600';
  const requested = req.headers['access-control-request-headers'];
  if (typeof requested === 'string' && HEADER_NAMES.test(requested.trim())) {
    headers['access-control-allow-headers'] = requested.trim();
  }
  return headers;
}
