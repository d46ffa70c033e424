import type { IncomingMessage } from 'node:http';
import { DEFAULT_MAX_DEPTH, ErrorCode, exceedsJsonDepth } from '@oxidite/protocol';
import { readRequestBody } from '@oxidite/server';
import { HttpError, HttpErrorCode } from './http-error';

/**
 * Reads a JSON request body of at most `maxBytes` with the SDK's bounded reader: refused at once
 * when `Content-Length` says it is larger, else as soon as the streamed bytes pass the limit; and
 * nested at most as deep as the protocol's decoders accept.
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
  // Deeper data would overflow the validators' recursion (a 500), and no client could decode it.
  if (exceedsJsonDepth(body.text, DEFAULT_MAX_DEPTH)) {
    throw new HttpError(ErrorCode.INVALID, `request body nested deeper than ${DEFAULT_MAX_DEPTH} levels`);
  }
  try {
    return JSON.parse(body.text) as unknown;
  } catch {
    throw new HttpError(ErrorCode.MALFORMED, 'request body is not valid JSON');
  }
}
