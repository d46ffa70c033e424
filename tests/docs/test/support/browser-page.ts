import { EventSource as NodeEventSource } from 'eventsource';
import { WebSocket as NodeWebSocket } from 'ws';

/**
 * Makes this process look like a page served from `origin` while a browser snippet runs: snippets
 * print `wss://example.com/ws` or relative URLs (`/analytics`), as a page would, and a real browser
 * would resolve them against its origin. The stand-ins are the real Node implementations (`ws`,
 * `eventsource`, `fetch`) with `example.com` and relative URLs pointed at the test server, which is
 * what DNS and the page's base URL do for a browser. Returns the function that restores the globals.
 */
export function installBrowserPage(origin: string): () => void {
  const base = new URL(origin);
  const toOrigin = (input: string | URL, scheme: 'http' | 'ws'): string => {
    const url = new URL(input, base);
    if (url.hostname === 'example.com' || url.host === base.host) {
      url.protocol = scheme === 'ws' && url.protocol.startsWith('ws') ? 'ws:' : base.protocol;
      url.host = base.host;
    }
    return url.href;
  };
  const nodeFetch = globalThis.fetch;
  const pageFetch: typeof fetch = (input, init) =>
    nodeFetch(typeof input === 'string' || input instanceof URL ? toOrigin(input, 'http') : input, init);
  const globals: Record<string, unknown> = {
    location: { origin: base.origin, href: `${base.origin}/`, pathname: '/', host: base.host },
    navigator: {
      userAgent: 'Node.js', // every browser has one; react-dom reads it when it loads
      // What a browser's beacon is: a fire-and-forget text/plain POST.
      sendBeacon: (url: string, body: string) => {
        void pageFetch(url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body }).catch(() => {});
        return true;
      },
    },
    fetch: pageFetch,
    WebSocket: class PageWebSocket extends NodeWebSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        // A browser always sends its page's Origin.
        super(toOrigin(url, 'ws'), protocols, { origin: base.origin });
      }
    },
    EventSource: class PageEventSource extends NodeEventSource {
      constructor(url: string | URL, init?: { withCredentials?: boolean }) {
        super(toOrigin(url, 'http'), init);
      }
    },
  };
  const saved = Object.keys(globals).map((key) => [key, Object.getOwnPropertyDescriptor(globalThis, key)] as const);
  for (const [key, value] of Object.entries(globals)) {
    Object.defineProperty(globalThis, key, { value, configurable: true, writable: true });
  }
  return () => {
    for (const [key, descriptor] of saved) {
      if (descriptor) Object.defineProperty(globalThis, key, descriptor);
      else Reflect.deleteProperty(globalThis, key);
    }
  };
}
