import type { IncomingMessage } from 'node:http';

/** A request body read within a size limit. */
export type RequestBody =
  | { readonly ok: true; readonly text: string }
  /** 413: over the limit (declared or streamed); 400: the request was aborted or failed. */
  | { readonly ok: false; readonly status: 400 | 413 };

/**
 * Reads a request body as UTF-8, refusing more than `limit` bytes: at once when `Content-Length`
 * says so, otherwise as soon as the streamed bytes pass it (the rest is read and discarded, never
 * kept, so the response can still be delivered). The one bounded body reader of the server's
 * endpoints (analytics, notifications) and of apps built on it (`@oxidite/hub`).
 *
 * @example
 * const body = await readRequestBody(req, 64 * 1024);
 * if (!body.ok) return res.writeHead(body.status).end();
 * const value = JSON.parse(body.text);
 */
export function readRequestBody(req: IncomingMessage, limit: number): Promise<RequestBody> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve({ ok: false, status: 413 });
  return new Promise((resolve) => {
    let chunks: Buffer[] = [];
    let size = 0;
    let isDone = false;
    const finish = (result: RequestBody): void => {
      if (isDone) return;
      isDone = true;
      chunks = [];
      resolve(result);
    };
    req.on('data', (chunk: Buffer) => {
      if (isDone) return;
      size += chunk.length;
      if (size > limit) finish({ ok: false, status: 413 });
      else chunks.push(chunk);
    });
    req.on('end', () => {
      if (!isDone) finish({ ok: true, text: Buffer.concat(chunks, size).toString('utf8') });
    });
    req.on('error', () => finish({ ok: false, status: 400 }));
    req.on('close', () => finish({ ok: false, status: 400 }));
  });
}
