import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode } from '@oxidite/protocol';
import type { Logger, RateLimiter, RateRule } from '@oxidite/server';
import type { ApiKeyring } from './api-keys';
import { HttpError, HttpErrorCode, sendError, sendJson } from './http-error';
import { checkQueryNames } from './query-params';
import { readJson } from './read-json';
import { compilePath, type PathMatcher, type Route } from './route';

/** Options of {@link createApiHandler}. */
export interface ApiHandlerOptions {
  readonly routes: readonly Route[];
  readonly keyring: ApiKeyring;
  /** Largest request body, in bytes. */
  readonly maxBodyBytes: number;
  readonly logger: Logger;
  /** Where the buckets of refused keys live (shared by every node on Redis). */
  readonly rateLimiter: RateLimiter;
  /** The client address of a request (trusted proxies applied). */
  readonly resolveAddress: (req: IncomingMessage) => string;
}

/**
 * Refused keys per client address: 20 in a row, then one more per second. Past it the address is
 * refused before its key is even looked at, so a guess that happens to be right tells it nothing.
 */
export const KEY_FAILURES: RateRule = { capacity: 20, refillPerSecond: 1 };

/** Whether `pathname` is a route's, even with a broken parameter (the route answers that 400). */
function isMatch(match: PathMatcher, pathname: string): boolean {
  try {
    return match(pathname) !== undefined;
  } catch {
    return true;
  }
}

/** Answers its own paths (returns true) and leaves the others (returns false); `url` is the parsed target. */
export type ApiHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => boolean;

/**
 * The HTTP API: finds the route, checks the key's scope before reading any body (so a stranger
 * cannot make the hub read megabytes), answers JSON, and maps every failure to its code.
 */
export function createApiHandler(options: ApiHandlerOptions): ApiHandler {
  const { keyring, maxBodyBytes, logger, rateLimiter, resolveAddress } = options;
  const routes = options.routes.map((route) => ({ ...route, match: compilePath(route.path) }));
  async function serve(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const candidates = routes.flatMap((route) => {
      const params = route.match(url.pathname);
      return params ? [{ route, params }] : [];
    });
    if (candidates.length === 0) throw new HttpError(HttpErrorCode.NOT_FOUND, `no route ${url.pathname}`);
    // HEAD is GET without the body (Node leaves it out), wherever GET is allowed.
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    const found = candidates.find((c) => c.route.method === method);
    if (!found) {
      const allowed = new Set(
        candidates.flatMap((c) => (c.route.method === 'GET' ? ['GET', 'HEAD'] : [c.route.method])),
      );
      res.setHeader('allow', [...allowed].sort().join(', '));
      throw new HttpError(HttpErrorCode.METHOD_NOT_ALLOWED, `${req.method ?? ''} not allowed on ${url.pathname}`);
    }
    const { route, params } = found;
    if (route.scope !== undefined) {
      const bucket = `hub-api-key:${resolveAddress(req)}`;
      const left = await rateLimiter.consume(bucket, KEY_FAILURES, 0);
      if (left.remaining < 1) {
        const { retryAfter } = await rateLimiter.consume(bucket, KEY_FAILURES, 1);
        throw new HttpError(ErrorCode.RATE_LIMITED, 'too many refused API keys from this address', retryAfter);
      }
      const check = keyring.check(req, route.scope);
      if (!check.ok) {
        if (check.code === 'unauthorized') await rateLimiter.consume(bucket, KEY_FAILURES, 1);
        throw new HttpError(check.code, check.message);
      }
    }
    if (route.query !== 'ignored') checkQueryNames(url.searchParams, route.query ?? []);
    const answer = await route.handle({
      req,
      params,
      query: url.searchParams,
      body: () => readJson(req, maxBodyBytes),
    });
    sendJson(res, answer.status, answer.body, answer.headers);
    logger.debug('hub: API request', { method: req.method, path: url.pathname, status: answer.status });
  }
  return (req, res, url) => {
    // Every /api/ path is the API's (404 when unknown); other paths only when a route has them.
    if (!url.pathname.startsWith('/api/') && !routes.some((route) => isMatch(route.match, url.pathname))) return false;
    serve(req, res, url).catch((error: unknown) => {
      const { status, isInternal } = sendError(res, error);
      if (isInternal) logger.error('hub: API request failed', { path: url.pathname, error: String(error) });
      else logger.info('hub: API request refused', { path: url.pathname, status });
    });
    return true;
  };
}
