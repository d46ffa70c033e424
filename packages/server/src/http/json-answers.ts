import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode, isRealtimeError, RealtimeError } from '@oxidite/protocol';
import { readRequestBody } from './read-body';

/** Error codes of the HTTP handlers beyond `ErrorCode`, each with its status. */
export const HttpErrorCode = {
  METHOD_NOT_ALLOWED: 'method_not_allowed',
  UNSUPPORTED_MEDIA_TYPE: 'unsupported_media_type',
} as const;

const STATUS: Readonly<Record<string, number>> = {
  [ErrorCode.MALFORMED]: 400,
  [ErrorCode.INVALID]: 400,
  [ErrorCode.UNAUTHORIZED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [HttpErrorCode.METHOD_NOT_ALLOWED]: 405,
  [ErrorCode.TOO_LARGE]: 413,
  [HttpErrorCode.UNSUPPORTED_MEDIA_TYPE]: 415,
  [ErrorCode.RATE_LIMITED]: 429,
};

const JSON_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
} as const;

/** Answers `status` with `body` as JSON. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { ...JSON_HEADERS, ...headers }).end(JSON.stringify(body));
}

/**
 * Answers an error as `{ error: { code, message } }` — the one error body of the server's HTTP
 * endpoints: a `RealtimeError` with a known code gets its status (400, 401, 403, 405, 413, 415,
 * 429 with `retryAfter` in ms in the body and `Retry-After` in seconds); anything else is a 500
 * that says only `internal`. Returns whether it was a 500, i.e. worth reporting.
 */
export function sendError(
  req: IncomingMessage,
  res: ServerResponse,
  error: unknown,
  headers: Record<string, string> = {},
): boolean {
  const status = isRealtimeError(error) ? (STATUS[error.code] ?? 500) : 500;
  const known = error as RealtimeError;
  const { retryAfter } = status === 429 ? known : { retryAfter: undefined };
  const body =
    status === 500
      ? { error: { code: ErrorCode.INTERNAL, message: 'request failed' } }
      : { error: { code: known.code, message: known.message, ...(retryAfter === undefined ? {} : { retryAfter }) } };
  if (retryAfter !== undefined)
    headers = { ...headers, 'retry-after': String(Math.max(1, Math.ceil(retryAfter / 1000))) };
  // A body left unread would otherwise be read and discarded to keep the connection alive.
  if (!req.complete) headers = { ...headers, connection: 'close' };
  if (res.headersSent) res.destroy();
  else sendJson(res, status, body, headers);
  return status === 500;
}

/** Whether the request declares a JSON body (`application/json`, parameters allowed). */
export function isJsonRequest(req: IncomingMessage): boolean {
  const type = req.headers['content-type']?.split(';', 1)[0]?.trim().toLowerCase();
  return type === 'application/json';
}

/**
 * Reads the request body as JSON: `undefined` when empty.
 * @throws RealtimeError `too_large` beyond `maxBytes` (declared or actual), `invalid` if not JSON.
 */
export async function readJson(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const body = await readRequestBody(req, maxBytes);
  if (!body.ok) {
    if (body.status === 413) throw new RealtimeError(ErrorCode.TOO_LARGE, `request body larger than ${maxBytes} bytes`);
    throw new Error('request closed before its body ended');
  }
  if (body.text.trim() === '') return undefined;
  try {
    return JSON.parse(body.text) as unknown;
  } catch {
    throw new RealtimeError(ErrorCode.INVALID, 'request body is not valid JSON');
  }
}
