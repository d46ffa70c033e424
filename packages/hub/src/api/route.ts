import type { IncomingMessage } from 'node:http';
import { ErrorCode } from '@oxidite/protocol';
import type { ApiScope } from '../config/schema';
import { HttpError } from './http-error';

/** What a route handler gets: the request, its path parameters and query. */
export interface RouteRequest {
  readonly req: IncomingMessage;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** Reads the JSON body (within the size limit); only for routes that take one. */
  body(): Promise<unknown>;
}

/** A JSON answer. */
export interface RouteResponse {
  readonly status: number;
  readonly body: unknown;
  /** Extra response headers. @default none */
  readonly headers?: Readonly<Record<string, string>> | undefined;
}

/** One HTTP API route; `path` is in OpenAPI form (`/api/users/{user}/notifications`). */
export interface Route {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  /** The scope an API key needs; routes without one are public (health, the OpenAPI document). */
  readonly scope: ApiScope | undefined;
  /**
   * The query parameters it takes; any other, or one given twice, is a 400 `invalid`. `'ignored'`
   * for probes (health, readiness), which a load balancer may call with a query of its own.
   * @default none
   */
  readonly query?: readonly string[] | 'ignored' | undefined;
  handle(request: RouteRequest): Promise<RouteResponse>;
}

/** Matches a URL path and returns its parameters (decoded), or undefined. */
export type PathMatcher = (pathname: string) => Record<string, string> | undefined;

/**
 * Compiles a route path (`/api/users/{user}/notifications`) once, at start.
 * The matcher throws HttpError `malformed` when a parameter's percent-encoding is broken.
 */
export function compilePath(template: string): PathMatcher {
  const names: string[] = [];
  const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  const re = new RegExp(`^${source}$`);
  return (pathname) => {
    const found = re.exec(pathname);
    if (!found) return undefined;
    const params: Record<string, string> = {};
    names.forEach((name, i) => {
      try {
        params[name] = decodeURIComponent(found[i + 1] ?? '');
      } catch {
        throw new HttpError(ErrorCode.MALFORMED, `${name}: bad percent-encoding`);
      }
    });
    return params;
  };
}
