import { ErrorCode, RealtimeError } from '@oxidite/protocol';

/** What `URL` needs here; the client compiles without DOM or Node declarations. */
interface UrlGlobals {
  readonly URL: new (url: string, base?: string) => unknown;
  readonly location?: { readonly href: string } | undefined;
}

/**
 * The endpoint, checked: `fetch` and `sendBeacon` resolve a relative URL against the page, but
 * on Node there is none, so `/analytics` failed every request and, without `onError`, nothing
 * showed it. It is refused here, at once, rather than event by event.
 */
export function checkUrl(url: string): string {
  const { URL, location } = globalThis as unknown as UrlGlobals;
  try {
    new URL(url, location?.href);
  } catch {
    const why = location ? 'is not a URL' : 'is relative and there is no page to resolve it against';
    throw new RealtimeError(ErrorCode.INVALID, `url ${JSON.stringify(url)} ${why}: pass an absolute URL`);
  }
  return url;
}
