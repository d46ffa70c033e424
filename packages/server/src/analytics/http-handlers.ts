import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode, isRealtimeError, RealtimeError } from '@oxidite/protocol';
import type { AnalyticsService } from './analytics-service';
import { HttpErrorCode, readRequestBody, sendError, sendJson } from '../http';

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
const NO_STORE = { 'cache-control': 'no-store' } as const;

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

  const refuse = (code: string, message: string, retryAfter?: number) =>
    new RealtimeError(code, message, retryAfter === undefined ? {} : { retryAfter });

  async function ingest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') throw refuse(HttpErrorCode.METHOD_NOT_ALLOWED, 'use POST');
    if (options.rateLimiter) {
      const decision = await options.rateLimiter.consume(`analytics:ingest:${clientKey(req)}`, rule);
      if (!decision.allowed) throw refuse(ErrorCode.RATE_LIMITED, 'too many requests', decision.retryAfter);
    }
    if (options.authenticate && !(await options.authenticate(req))) {
      throw refuse(ErrorCode.UNAUTHORIZED, 'not authenticated');
    }
    if (!ACCEPTED_TYPES.has(mediaType(req))) {
      throw refuse(HttpErrorCode.UNSUPPORTED_MEDIA_TYPE, 'send application/json or text/plain');
    }
    const body = await readRequestBody(req, maxBodySize);
    if (!body.ok) {
      if (body.status === 413) throw refuse(ErrorCode.TOO_LARGE, `request body larger than ${maxBodySize} bytes`);
      throw refuse(ErrorCode.MALFORMED, 'request aborted');
    }
    let value: unknown;
    try {
      value = JSON.parse(body.text);
    } catch {
      throw refuse(ErrorCode.MALFORMED, 'body is not valid JSON');
    }
    sendJson(res, 202, { accepted: service.ingest(value) }, NO_STORE);
  }

  async function metrics(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw refuse(HttpErrorCode.METHOD_NOT_ALLOWED, 'use GET');
    if (options.authenticateMetrics && !(await options.authenticateMetrics(req))) {
      throw refuse(ErrorCode.UNAUTHORIZED, 'not authenticated');
    }
    sendJson(res, 200, await service.metrics(), NO_STORE);
  }

  /** Every refusal and failure answers through the server's one error body; a 500 is reported. */
  const answering =
    (handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>, allow: string) =>
    (req: IncomingMessage, res: ServerResponse): Promise<void> =>
      handle(req, res).catch((error: unknown) => {
        const headers = isRealtimeError(error) && error.code === HttpErrorCode.METHOD_NOT_ALLOWED ? { allow } : {};
        if (sendError(req, res, error, headers)) onError(error);
      });

  return { ingest: answering(ingest, 'POST'), metrics: answering(metrics, 'GET, HEAD') };
}
