import type { ServerResponse } from 'node:http';
import { ErrorCode, isRealtimeError } from '@oxidite/protocol';
import { sendJsonThenClose } from './linger';

/** Codes of the HTTP API beyond `ErrorCode` (the same words as the SDK's HTTP handlers). */
export const HttpErrorCode = {
  NOT_FOUND: 'not_found',
  METHOD_NOT_ALLOWED: 'method_not_allowed',
  UNSUPPORTED_MEDIA_TYPE: 'unsupported_media_type',
  UPGRADE_REQUIRED: 'upgrade_required',
} as const;

/** HTTP status of each error code the API answers with. */
export const STATUS_OF_CODE: Readonly<Record<string, number>> = {
  [ErrorCode.MALFORMED]: 400,
  [ErrorCode.INVALID]: 400,
  [ErrorCode.UNKNOWN_TOPIC]: 404,
  [ErrorCode.UNAUTHORIZED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.TOO_LARGE]: 413,
  [ErrorCode.RATE_LIMITED]: 429,
  [ErrorCode.LIMIT_EXCEEDED]: 400,
  [ErrorCode.REJECTED]: 422,
  [HttpErrorCode.NOT_FOUND]: 404,
  [HttpErrorCode.METHOD_NOT_ALLOWED]: 405,
  [HttpErrorCode.UNSUPPORTED_MEDIA_TYPE]: 415,
  [HttpErrorCode.UPGRADE_REQUIRED]: 426,
  [ErrorCode.INTERNAL]: 500,
};

/** An API failure: a protocol error code, an HTTP status, a message safe to show. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  readonly status: number;
  constructor(
    readonly code: string,
    message: string,
    /** For `rate_limited`: when to try again, in ms (the body's `retryAfter`, `Retry-After` in seconds). */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.status = STATUS_OF_CODE[code] ?? 500;
  }
}

/** The error body of PROTOCOL.md §5.3: a 429 adds `retryAfter` (ms). */
interface ErrorBody {
  code: string;
  message: string;
  retryAfter?: number;
}

/** Writes a JSON body. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** `{ "error": { "code", "message" } }` with the status of the code; unknown failures answer `internal`. */
export function sendError(res: ServerResponse, error: unknown): { status: number; isInternal: boolean } {
  let status = 500;
  let code: string = ErrorCode.INTERNAL;
  let message = 'internal error';
  let retryAfter: number | undefined;
  if (error instanceof HttpError) ({ status, code, message, retryAfter } = error);
  else if (isRealtimeError(error) && STATUS_OF_CODE[error.code] !== undefined && error.code !== ErrorCode.INTERNAL) {
    status = STATUS_OF_CODE[error.code] ?? 500;
    code = error.code;
    message = error.message;
    retryAfter = error.retryAfter;
  }
  const body: ErrorBody = { code, message };
  const headers: Record<string, string> = {};
  if (status === 429 && retryAfter !== undefined && Number.isFinite(retryAfter)) {
    body.retryAfter = Math.max(0, Math.ceil(retryAfter));
    headers['retry-after'] = String(Math.max(1, Math.ceil(retryAfter / 1000)));
  }
  if (res.headersSent) res.destroy();
  // After a 413 the rest of the body is not worth reading for keep-alive: close, but lingering.
  else if (status === 413) sendJsonThenClose(res, status, { error: body });
  else sendJson(res, status, { error: body }, headers);
  return { status, isInternal: status === 500 };
}
