import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ChargeRequest } from '../security';
import { refuseRequest } from './refuse-request';

/** A Node HTTP request handler. */
export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * One Node request handler for every framework (`app.use(rt.handler)` in Express and Connect, an
 * `onRequest` hook in Fastify, in front of Hono's request listener on Node; not a Hono middleware:
 * Hono answers HEAD by rebuilding its GET answer after the handler wrote it): it answers its own
 * endpoints and returns true; any other request goes to `next` when given, and it returns false
 * without touching the response, so the app answers it.
 */
export type RealtimeRequestHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  next?: (error?: unknown) => void,
) => boolean;

/**
 * A read-only endpoint: GET and HEAD (Node leaves the body out for HEAD), never rate limited; any
 * other method gets 405, charged to the address's connection bucket (429 past it).
 */
export function readOnly(charge: ChargeRequest, handler: NodeHandler): NodeHandler {
  return (req, res) => {
    if (req.method === 'GET' || req.method === 'HEAD') return handler(req, res);
    refuseRequest(charge, req, res, METHOD_NOT_ALLOWED, { ifNotLimited: { allow: 'GET, HEAD' } });
  };
}

const METHOD_NOT_ALLOWED = { status: 405, reason: 'method not allowed' } as const;

/**
 * Routes by exact pathname (the query string is ignored). The one router of the server's HTTP
 * endpoints: `listen()` serves its own HTTP server with it, and frameworks mount it.
 */
export function createRequestHandler(routes: ReadonlyMap<string, NodeHandler>): RealtimeRequestHandler {
  return (req, res, next) => {
    const route = routes.get((req.url ?? '/').split('?', 1)[0] ?? '/');
    if (route === undefined) {
      next?.();
      return false;
    }
    route(req, res);
    return true;
  };
}
