import { HttpErrorCode } from './http-error';
import type { Route } from './route';

/** What the public routes report. */
export interface PublicRouteOptions {
  /** False once the hub is stopping: `/readyz` answers 503. */
  readonly isReady: () => boolean;
  /** The OpenAPI document served at `/openapi.json`. */
  readonly openApi: unknown;
  /** The WebSocket endpoint's path, answered here only when a request is not an upgrade. */
  readonly wsPath: string;
}

/**
 * The hub's routes that need no key: health, readiness, the OpenAPI document, and the WebSocket
 * path for plain HTTP requests. They go through the API's router, so an unlisted method gets the
 * same 405 with `Allow` and error body as an `/api/` route.
 */
export function publicRoutes(options: PublicRouteOptions): Route[] {
  const { isReady, openApi, wsPath } = options;
  return [
    {
      method: 'GET',
      path: '/healthz',
      scope: undefined,
      query: 'ignored',
      async handle() {
        return { status: 200, body: { status: 'ok' } };
      },
    },
    {
      method: 'GET',
      path: '/readyz',
      scope: undefined,
      query: 'ignored',
      async handle() {
        return isReady() ? { status: 200, body: { status: 'ready' } } : { status: 503, body: { status: 'stopping' } };
      },
    },
    {
      method: 'GET',
      path: '/openapi.json',
      scope: undefined,
      query: 'ignored',
      async handle() {
        return { status: 200, body: openApi };
      },
    },
    {
      // An upgrade never reaches the request handler ('upgrade' event): this is a plain GET.
      method: 'GET',
      path: wsPath,
      scope: undefined,
      query: 'ignored',
      async handle() {
        return {
          status: 426,
          headers: { upgrade: 'websocket', connection: 'upgrade' },
          body: { error: { code: HttpErrorCode.UPGRADE_REQUIRED, message: `${wsPath} takes WebSocket upgrades only` } },
        };
      },
    },
  ];
}
