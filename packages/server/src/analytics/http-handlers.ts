import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode, isRealtimeError } from '@oxidite/protocol';
import type { AnalyticsService } from './analytics-service';
import { readRequestBody } from '../http';

/** A token bucket rule: the `RateRule` of the security module. */
export interface IngestRateRule {
  /** Largest burst, and the tokens a new key starts with. */
  readonly capacity: number;
  /** Tokens added per second. */
  readonly refillPerSecond: number;
}

/** Limits ingest requests per client: the `RateLimiter` of the security module (memory or Redis) fits. */
export interface IngestRateLimiter {
  consume(
    key: string,
    rule: IngestRateRule,
    cost?: number,
  ):
    | { readonly allowed: boolean; readonly retryAfter: number }
    | Promise<{ readonly allowed: boolean; readonly retryAfter: number }>;
}

/** A Node HTTP handler; the promise never rejects. */
export type AnalyticsHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** Options of {@link createAnalyticsHandlers}. */
export interface AnalyticsHandlersOptions {
  /** Largest ingest body, in bytes; larger answers 413. @default 65_536 */
  readonly maxBodySize?: number | undefined;
  /** Authenticates an ingest request; false answers 401. @default none: anonymous ingest */
  readonly authenticate?: ((req: IncomingMessage) => boolean | Promise<boolean>) | undefined;
  /** Authenticates a metrics request; false answers 401. @default none: the metrics are public */
  readonly authenticateMetrics?: ((req: IncomingMessage) => boolean | Promise<boolean>) | undefined;
  /** Limits ingest requests per client key; refused requests answer 429 with `Retry-After`. @default none */
  readonly rateLimiter?: IngestRateLimiter | undefined;
  /** The bucket of each client key (one token per request). @default { capacity: 60, refillPerSecond: 10 } */
  readonly rateRule?: IngestRateRule | undefined;
  /**
   * The rate-limit key of a request. Behind a reverse proxy, resolve the client address with the
   * trusted-proxy rules of the security module instead.
   * @default the socket's remote address
   */
  readonly clientKey?: ((req: IncomingMessage) => string) | undefined;
  /** Receives unexpected failures (answered 500). @default none: ignored */
  readonly onError?: ((error: unknown) => void) | undefined;
}

/** The analytics HTTP endpoints. */
export interface AnalyticsHandlers {
  /**
   * `POST` one event or `{ events: [...] }` as `application/json` or `text/plain` (what
   * `navigator.sendBeacon` sends for a string): 202 `{ accepted }`, 400 with the validation
   * message, 401, 405, 413, 415, 429 with `Retry-After`.
   */
  readonly ingest: AnalyticsHandler;
  /** `GET` the current `MetricsSnapshot` as JSON (401, 405). */
  readonly metrics: AnalyticsHandler;
}

const ACCEPTED_TYPES = new Set(['', 'application/json', 'text/plain']);

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const json = JSON.stringify(body);
  res
    .writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'content-length': String(Buffer.byteLength(json)),
      ...headers,
    })
    .end(json);
}

const retrySeconds = (ms: number): string => String(Math.max(1, Math.ceil(ms / 1000)));

function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? '';
}

/**
 * Creates the ingest and metrics handlers of an analytics service, to mount in any framework.
 * Cheap refusals come first: method, then rate limit (before any hook or body read), then
 * authentication, media type and body size.
 *
 * @example
 * const { ingest, metrics } = createAnalyticsHandlers(analytics, { rateLimiter: createMemoryRateLimiter() });
 * http.createServer((req, res) => (req.url === '/analytics' ? ingest(req, res) : metrics(req, res)));
 */
export function createAnalyticsHandlers(
  service: AnalyticsService,
  options: AnalyticsHandlersOptions = {},
): AnalyticsHandlers {
  const maxBodySize = options.maxBodySize ?? 65_536;
  const rule = options.rateRule ?? { capacity: 60, refillPerSecond: 10 };
  const clientKey = options.clientKey ?? ((req: IncomingMessage) => req.socket.remoteAddress ?? 'unknown');
  const onError = options.onError ?? (() => {});

  function fail(res: ServerResponse, error: unknown): void {
    if (isRealtimeError(error) && error.code === ErrorCode.INVALID) {
      send(res, 400, { error: error.code, message: error.message });
    } else if (isRealtimeError(error) && error.code === ErrorCode.RATE_LIMITED) {
      const retryAfter = error.retryAfter ?? 1_000;
      send(res, 429, { error: error.code, retryAfter }, { 'retry-after': retrySeconds(retryAfter) });
    } else {
      onError(error);
      send(res, 500, { error: ErrorCode.INTERNAL });
    }
  }

  async function ingest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') return send(res, 405, { error: 'method_not_allowed' }, { allow: 'POST' });
    if (options.rateLimiter) {
      const decision = await options.rateLimiter.consume(`analytics:ingest:${clientKey(req)}`, rule);
      if (!decision.allowed) {
        const retryAfter = decision.retryAfter;
        return send(
          res,
          429,
          { error: ErrorCode.RATE_LIMITED, retryAfter },
          { 'retry-after': retrySeconds(retryAfter) },
        );
      }
    }
    if (options.authenticate && !(await options.authenticate(req))) {
      return send(res, 401, { error: ErrorCode.UNAUTHORIZED });
    }
    if (!ACCEPTED_TYPES.has(mediaType(req))) {
      return send(res, 415, { error: 'unsupported_media_type', message: 'send application/json or text/plain' });
    }
    const body = await readRequestBody(req, maxBodySize);
    if (!body.ok) {
      if (body.status === 413) {
        return send(res, 413, { error: ErrorCode.TOO_LARGE, limit: maxBodySize }, { connection: 'close' });
      }
      return send(res, 400, { error: ErrorCode.MALFORMED, message: 'request aborted' });
    }
    let value: unknown;
    try {
      value = JSON.parse(body.text);
    } catch {
      return send(res, 400, { error: ErrorCode.MALFORMED, message: 'body is not valid JSON' });
    }
    send(res, 202, { accepted: service.ingest(value) });
  }

  async function metrics(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return send(res, 405, { error: 'method_not_allowed' }, { allow: 'GET, HEAD' });
    }
    if (options.authenticateMetrics && !(await options.authenticateMetrics(req))) {
      return send(res, 401, { error: ErrorCode.UNAUTHORIZED });
    }
    send(res, 200, await service.metrics());
  }

  return {
    ingest: (req, res) => ingest(req, res).catch((error: unknown) => fail(res, error)),
    metrics: (req, res) => metrics(req, res).catch((error: unknown) => fail(res, error)),
  };
}
