import type { IncomingMessage } from 'node:http';
import { ErrorCode } from '@oxidite/protocol';
import { HttpError, HttpErrorCode } from './http-error';

/**
 * Reads a JSON request body of at most `maxBytes`: refused at once when `Content-Length` says it is
 * larger, else as soon as the streamed bytes pass the limit (nothing past it is kept).
 */
export function readJson(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    return Promise.reject(new HttpError(HttpErrorCode.UNSUPPORTED_MEDIA_TYPE, 'content-type must be application/json'));
  }
  const tooLarge = () => new HttpError(ErrorCode.TOO_LARGE, `request body larger than ${maxBytes} bytes`);
  if (Number(req.headers['content-length']) > maxBytes) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = (): void => {
      req.off('data', onData).off('end', onEnd).off('error', onFailure).off('close', onClose);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      cleanup();
      req.pause();
      reject(tooLarge());
    };
    const onEnd = (): void => {
      cleanup();
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        reject(new HttpError(ErrorCode.MALFORMED, 'request body is not valid JSON'));
      }
    };
    const onFailure = (): void => {
      cleanup();
      reject(new HttpError(ErrorCode.MALFORMED, 'request body did not arrive'));
    };
    const onClose = (): void => onFailure();
    req.on('data', onData).on('end', onEnd).on('error', onFailure).on('close', onClose);
  });
}
