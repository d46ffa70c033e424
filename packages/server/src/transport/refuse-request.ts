import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ChargeRequest, Refusal } from '../security';

/** Headers of a refusal: `always` on any answer (CORS), `ifNotLimited` only on the refusal itself (`Allow`). */
export interface RefusalHeaders {
  readonly always?: Readonly<Record<string, string>> | undefined;
  readonly ifNotLimited?: Readonly<Record<string, string>> | undefined;
}

/**
 * Answers a plain HTTP request the server will not serve (a 405, an `/events` without a topic, an
 * unknown path of `listen()`'s server) with a one-line text body, after charging it to its
 * address's connection bucket like a stray upgrade: past the limit the answer is 429 with
 * `Retry-After`, so that such requests are no free way to make the server work.
 */
export function refuseRequest(
  charge: ChargeRequest,
  req: IncomingMessage,
  res: ServerResponse,
  refusal: Refusal,
  headers: RefusalHeaders = {},
): void {
  charge(req, refusal).then(
    (answer) => {
      if (res.headersSent || res.destroyed) return;
      res
        .writeHead(answer.status, {
          'content-type': 'text/plain',
          ...headers.always,
          ...(answer === refusal ? headers.ifNotLimited : {}),
          ...(answer.retryAfter === undefined ? {} : { 'retry-after': String(answer.retryAfter) }),
        })
        .end(`${answer.reason}\n`);
    },
    () => res.destroy(),
  );
}
