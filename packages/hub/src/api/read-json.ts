import type { IncomingMessage } from 'node:http';
import { ErrorCode } from '@oxidite/protocol';
import { readRequestBody } from '@oxidite/server';
import { HttpError, HttpErrorCode } from './http-error';

/**
 * Reads a JSON request body of at most `maxBytes` with the SDK's bounded reader: refused at once
 * when `Content-Length` says it is larger, else as soon as the streamed bytes pass the limit.
 */
export async function readJson(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new HttpError(HttpErrorCode.UNSUPPORTED_MEDIA_TYPE, 'content-type must be application/json');
  }
  const body = await readRequestBody(req, maxBytes);
  if (!body.ok) {
    throw body.status === 413
      ? new HttpError(ErrorCode.TOO_LARGE, `request body larger than ${maxBytes} bytes`)
      : new HttpError(ErrorCode.MALFORMED, 'request body did not arrive');
  }
  try {
    return JSON.parse(body.text) as unknown;
  } catch {
    throw new HttpError(ErrorCode.MALFORMED, 'request body is not valid JSON');
  }
}
