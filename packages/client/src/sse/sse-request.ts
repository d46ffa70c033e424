import { createSseParser, type SseEvent } from '@oxidite/protocol';
import { after, type Cancel, noop } from '../util/timers';
import { parseRetryAfter } from './retry-after';
import { runtime, type SseBodyReader, type SseFetch } from './fetch-like';

/** How one request ended. */
export type SseRequestEnd =
  /** The server answered something other than an event stream (a 503 from a proxy, a 401, ...). */
  | {
      readonly kind: 'status';
      readonly status: number;
      readonly retryAfter: number | undefined;
      /** The answer's content type, when it was a 200 that is not an event stream. */
      readonly type?: string | undefined;
    }
  /** No answer, or the connection broke while reading (a cut, a reset). */
  | { readonly kind: 'network'; readonly error: unknown }
  /** The server ended the stream cleanly. */
  | { readonly kind: 'ended' };

/** What one request tells its owner. After `onEnd`, or after `cancel()`, nothing more. */
export interface SseRequestHooks {
  /** The server answered 200 with `text/event-stream`: events follow. */
  onOpen(): void;
  onEvent(event: SseEvent): void;
  /** A `retry:` field set the reconnection time, in ms. */
  onRetry(ms: number): void;
  onEnd(end: SseRequestEnd): void;
}

/**
 * One GET of an event stream through `fetch`, read incrementally with the protocol's WHATWG
 * parser. Reconnecting is the owner's business: a request never outlives its response.
 */
export function openSseRequest(
  fetch: SseFetch,
  url: string,
  init: {
    readonly headers: Record<string, string>;
    readonly withCredentials: boolean;
    /** No byte for this long (not even the server's heartbeat comment): the connection is dead. */
    readonly idleTimeout: number;
  },
  hooks: SseRequestHooks,
): { cancel(): void } {
  const controller = runtime.AbortController ? new runtime.AbortController() : undefined;
  let reader: SseBodyReader | undefined;
  let isDone = false;
  let cancelIdle: Cancel = noop;
  const abort = (): void => {
    isDone = true;
    cancelIdle();
    controller?.abort();
    reader?.cancel().catch(() => {});
  };
  const end = (result: SseRequestEnd): void => {
    if (isDone) return;
    abort();
    hooks.onEnd(result);
  };
  // A half-open connection (a dropped route, a sleeping laptop) never ends by itself: watch the bytes.
  const watch = (): void => {
    cancelIdle();
    cancelIdle = after(init.idleTimeout, () => end({ kind: 'network', error: new Error('stream idle') }));
  };
  const read = async (body: SseBodyReader): Promise<void> => {
    const Decoder = runtime.TextDecoder;
    if (!Decoder) throw new Error('no TextDecoder');
    const decoder = new Decoder();
    const parser = createSseParser({
      onEvent: (event) => !isDone && hooks.onEvent(event),
      onRetry: (ms) => !isDone && hooks.onRetry(ms),
    });
    for (;;) {
      const chunk = await body.read();
      if (isDone) return;
      if (chunk.done) break;
      watch();
      if (chunk.value) parser.feed(decoder.decode(chunk.value, { stream: true }));
    }
    parser.end();
    end({ kind: 'ended' });
  };
  const signal = controller?.signal ?? { aborted: false };
  const credentials = init.withCredentials ? 'include' : 'same-origin';
  watch();
  fetch(url, { method: 'GET', headers: init.headers, credentials, cache: 'no-store', signal })
    .then((response) => {
      if (isDone) return response.body?.getReader().cancel();
      const type = response.headers.get('content-type') ?? '';
      if (response.status !== 200 || !response.body || !type.toLowerCase().startsWith('text/event-stream')) {
        void response.body
          ?.getReader()
          .cancel()
          .catch(() => {});
        const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
        // A 200 that is not an event stream (a URL without the SSE handler, a captive portal) is a failure to retry.
        return end({ kind: 'status', status: response.status, retryAfter, type: type || 'no content type' });
      }
      reader = response.body.getReader();
      hooks.onOpen();
      return read(reader);
    })
    .catch((error: unknown) => end({ kind: 'network', error }));
  return {
    cancel() {
      if (!isDone) abort();
    },
  };
}
