import type { IncomingMessage } from 'node:http';
import { TOKEN_SUBPROTOCOL_PREFIX } from '@oxidite/protocol';

/** Where tokens may come from, in the order they are tried. */
export interface TokenSourceOptions {
  /** Read `Authorization: Bearer <token>`. @default true */
  readonly header?: boolean | undefined;
  /** Cookie name to read, or false. @default false */
  readonly cookie?: string | false | undefined;
  /**
   * Read the `access_token` query parameter. URLs end up in logs, so prefer the subprotocol for
   * browsers; on by default because `EventSource` can send neither headers nor subprotocols.
   * @default true
   */
  readonly query?: boolean | undefined;
  /** Read an offered subprotocol `oxidite.token.<base64url token>` (browsers' WebSocket). @default true */
  readonly subprotocol?: boolean | undefined;
}

function fromCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

function fromSubprotocol(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (!value) return undefined;
  for (const offered of value.split(',')) {
    const protocol = offered.trim();
    if (protocol.startsWith(TOKEN_SUBPROTOCOL_PREFIX)) {
      return Buffer.from(protocol.slice(TOKEN_SUBPROTOCOL_PREFIX.length), 'base64url').toString('utf8');
    }
  }
  return undefined;
}

/** Finds the bearer token of an upgrade or SSE request, if any. Never throws. */
export function extractToken(req: IncomingMessage, options: TokenSourceOptions = {}): string | undefined {
  if (options.header !== false) {
    const auth = req.headers.authorization;
    if (auth?.toLowerCase().startsWith('bearer ')) return auth.slice(7).trim() || undefined;
  }
  if (options.cookie) {
    const token = fromCookie(req.headers.cookie, options.cookie);
    if (token) return token;
  }
  if (options.subprotocol !== false) {
    const token = fromSubprotocol(req.headers['sec-websocket-protocol']);
    if (token) return token;
  }
  if (options.query !== false) {
    const query = req.url?.indexOf('?') ?? -1;
    if (query >= 0) {
      const token = new URLSearchParams((req.url as string).slice(query + 1)).get('access_token');
      if (token) return token;
    }
  }
  return undefined;
}
