import type { IncomingMessage, ServerResponse } from 'node:http';

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

/** A read-only endpoint: GET and HEAD (Node leaves the body out for HEAD); any other method gets 405. */
export function readOnly(handler: NodeHandler): NodeHandler {
  return (req, res) => {
    if (req.method === 'GET' || req.method === 'HEAD') return handler(req, res);
    res.writeHead(405, { 'content-type': 'text/plain', allow: 'GET, HEAD' }).end('method not allowed\n');
  };
}

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
