import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MethodMap, TopicMap } from '@oxidite/protocol';
import { createRealtimeServer, type RealtimeServer, type RealtimeServerOptions } from '@oxidite/server';

/** A real server on 127.0.0.1:0 for client snippets to talk to. */
export interface Backend<T extends TopicMap, M extends MethodMap> {
  readonly rt: RealtimeServer<T, M>;
  readonly http: Server;
  /** `http://127.0.0.1:<port>`: the origin of the page a browser snippet runs in. */
  readonly origin: string;
  /** `ws://127.0.0.1:<port>/ws`. */
  readonly url: string;
  close(): Promise<void>;
}

/** Extra routes of the page's server (`/analytics`); returns false when the request is not theirs. */
export type Routes = (req: IncomingMessage, res: ServerResponse) => boolean;

/** Starts `createRealtimeServer(options)` on its own HTTP server at 127.0.0.1:0, SSE on `/events`. */
export async function startBackend<T extends TopicMap, M extends MethodMap = MethodMap>(
  options: RealtimeServerOptions<T, M>,
  routes: Routes = () => false,
): Promise<Backend<T, M>> {
  const rt = createRealtimeServer(options);
  const http = createServer((req, res) => {
    if (routes(req, res)) return;
    if (req.url?.startsWith('/events')) return rt.handlers.events(req, res);
    res.writeHead(404).end();
  });
  rt.attach(http);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    rt,
    http,
    origin: `http://127.0.0.1:${port}`,
    url: `ws://127.0.0.1:${port}/ws`,
    async close() {
      await rt.close();
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    },
  };
}
