import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';

/** The files of the page: a fixed list, so no request path ever reaches the file system. */
const FILES: Readonly<Record<string, { readonly file: string; readonly type: string }>> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/index.html': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
  '/favicon.svg': { file: 'favicon.svg', type: 'image/svg+xml' },
  // Browsers, crawlers and link previews ask for /favicon.ico whatever the page links: the same
  // icon, so the log has no 404 on every load (the content type tells the browser it is SVG).
  '/favicon.ico': { file: 'favicon.svg', type: 'image/svg+xml' },
};

/**
 * No inline script or style, no plugins, no framing. `connect-src 'self'` covers the same-origin
 * WebSocket (CSP Level 3 matches ws: to the page's http: origin). A second line of defence only:
 * the page renders every user string with textContent.
 */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
} as const;

/** Serves the built page from memory; returns false for any other path. */
export function createStaticFiles(
  publicDir: string,
): (req: IncomingMessage, res: ServerResponse, pathname: string) => boolean {
  const loaded = new Map<string, { body: Buffer; type: string }>();
  for (const [route, { file, type }] of Object.entries(FILES)) {
    loaded.set(route, { body: readFileSync(path.join(publicDir, file)), type });
  }
  return (req, res, pathname) => {
    const entry = loaded.get(pathname);
    if (!entry) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return true;
    }
    res.writeHead(200, {
      'content-type': entry.type,
      'content-length': String(entry.body.length),
      ...SECURITY_HEADERS,
    });
    res.end(req.method === 'HEAD' ? undefined : entry.body);
    return true;
  };
}
