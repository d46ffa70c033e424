/**
 * The part of `fetch` the SSE client uses: the browser's, Node's (18+) and most polyfills fit.
 * `fetch` rather than `EventSource` because only `fetch` shows the HTTP status and headers: an
 * `EventSource` answered once with 503 or 429 stops for good and cannot say why (WHATWG HTML
 * §9.2.3), so the client could neither retry nor honour `Retry-After`.
 */
export type SseFetch = (url: string, init: SseRequestInit) => Promise<SseResponseLike>;

/** The request the SSE client makes: a subset of `RequestInit`. */
export interface SseRequestInit {
  readonly method: 'GET';
  readonly headers: Readonly<Record<string, string>>;
  /** `include` with `withCredentials`, else `same-origin`. */
  readonly credentials: 'include' | 'same-origin';
  readonly cache: 'no-store';
  /** Aborts the request and its body when the stream closes. */
  readonly signal: AbortSignalLike;
}

/** A `fetch` response, as far as the SSE client reads it. */
export interface SseResponseLike {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  readonly body: { getReader(): SseBodyReader } | null;
}

/** A reader of a response body stream. */
export interface SseBodyReader {
  read(): Promise<{ readonly done: boolean; readonly value?: Uint8Array }>;
  cancel(): Promise<void>;
}

/** An `AbortSignal`, opaque to the client. */
export interface AbortSignalLike {
  readonly aborted: boolean;
}

interface RuntimeGlobals {
  fetch?: SseFetch | undefined;
  AbortController?: (new () => { readonly signal: AbortSignalLike; abort(): void }) | undefined;
  TextDecoder?: (new () => { decode(bytes: Uint8Array, options: { stream: boolean }): string }) | undefined;
}

/** The runtime's globals the SSE client needs, looked up at call time (the client compiles without DOM types). */
export const runtime = globalThis as unknown as RuntimeGlobals;
