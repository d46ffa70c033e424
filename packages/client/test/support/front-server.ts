import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import { onTeardown } from './harness';

/** What the front server does with one request: answer it itself, or pass it to the target. */
export type FrontAnswer = { readonly status: number; readonly headers?: Record<string, string> } | 'pass';

/**
 * A small node:http server on 127.0.0.1 port 0 in front of a realtime server, as a proxy or a
 * load balancer would be: `decide` answers each request with an error status or passes it on.
 * Records the URL of every request.
 */
export async function startFrontServer(
  targetPort: number,
  decide: (req: IncomingMessage, index: number) => FrontAnswer,
  /** Static pages served by the front server itself (not counted in `urls`), by path. */
  pages: Readonly<Record<string, { readonly type: string; readonly body: string }>> = {},
): Promise<{ readonly port: number; readonly urls: string[] }> {
  const urls: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const page = pages[req.url ?? ''];
    if (page) {
      res.writeHead(200, { 'content-type': page.type }).end(page.body);
      return;
    }
    if (Object.keys(pages).length > 0 && !req.url?.startsWith('/events')) {
      res.writeHead(404).end(); // a browser's own requests (favicon.ico) are not the stream's
      return;
    }
    urls.push(req.url ?? '');
    const answer = decide(req, urls.length);
    if (answer !== 'pass') {
      res.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers }).end('no\n');
      return;
    }
    const upstream = request(
      { host: '127.0.0.1', port: targetPort, path: req.url, method: req.method, headers: req.headers },
      (reply) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTeardown(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { port: (server.address() as { port: number }).port, urls };
}
