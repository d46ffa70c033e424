import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type HttpBindings, serve } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createRealtimeServer, type RealtimeServer } from '../src/index';
import { testTopics } from './support/test-server';

/**
 * `rt.handler` (#16 item 3): one Node request handler mounts every HTTP endpoint of the server in
 * any framework, and leaves the app's own routes to the app. Each framework is mounted the way the
 * server README shows, on 127.0.0.1:0.
 */
type Mount = (rt: RealtimeServer<typeof testTopics>) => Promise<{ server: Server; close: () => Promise<void> }>;

const listen = (server: Server) => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const closeServer = (server: Server) => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
};

const mounts: [string, Mount][] = [
  [
    'plain http',
    async (rt) => {
      const server = createServer((req, res) => rt.handler(req, res, () => res.end('app')));
      rt.attach(server);
      await listen(server);
      return { server, close: () => closeServer(server) };
    },
  ],
  [
    'Express',
    async (rt) => {
      const app = express();
      app.use(rt.handler);
      app.get('/hello', (_req, res) => void res.send('app'));
      const server = app.listen(0, '127.0.0.1');
      rt.attach(server);
      await new Promise((resolve) => server.once('listening', resolve));
      return { server, close: () => closeServer(server) };
    },
  ],
  [
    'Fastify',
    async (rt) => {
      const fastify = Fastify();
      fastify.addHook('onRequest', (request, reply, done) => {
        if (rt.handler(request.raw, reply.raw)) reply.hijack();
        else done();
      });
      fastify.get('/hello', async () => 'app');
      await fastify.listen({ port: 0, host: '127.0.0.1' });
      rt.attach(fastify.server);
      return { server: fastify.server, close: () => fastify.close() };
    },
  ],
  [
    'Hono on Node',
    async (rt) => {
      const app = new Hono<{ Bindings: HttpBindings }>();
      app.use((c, next) =>
        rt.handler(c.env.incoming, c.env.outgoing) ? Promise.resolve(RESPONSE_ALREADY_SENT) : next(),
      );
      app.get('/hello', (c) => c.text('app'));
      const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
      rt.attach(server);
      if (!server.listening) await new Promise((resolve) => server.once('listening', resolve));
      return { server, close: () => closeServer(server) };
    },
  ],
];

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

describe.each(mounts)('rt.handler in %s', (_name, mount) => {
  async function start() {
    const rt = createRealtimeServer({ topics: testTopics });
    const { server, close } = await mount(rt);
    cleanup.push(close, () => rt.close());
    return `127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('serves /metrics, /realtime/details and SSE, and leaves the app its routes', async () => {
    const host = await start();
    const metrics = await fetch(`http://${host}/metrics`);
    expect([metrics.status, await metrics.text()]).toEqual([200, expect.stringContaining('oxidite_')]);
    const details = await fetch(`http://${host}/realtime/details`);
    expect([details.status, await details.json()]).toEqual([
      200,
      expect.objectContaining({ websocket: expect.anything() }),
    ]);
    const abort = new AbortController();
    const events = await fetch(`http://${host}/events?topic=chat`, { signal: abort.signal });
    expect([events.status, events.headers.get('content-type')]).toEqual([
      200,
      expect.stringMatching(/^text\/event-stream/),
    ]);
    abort.abort();
    expect(await (await fetch(`http://${host}/hello`)).text()).toBe('app');
  });

  it('answers other methods than GET and HEAD on /metrics and /realtime/details with 405, like SSE', async () => {
    const host = await start();
    for (const path of ['/metrics', '/realtime/details', '/events?topic=chat']) {
      const posted = await fetch(`http://${host}${path}`, { method: 'POST', body: '{}' });
      expect([path, posted.status, posted.headers.get('allow')?.startsWith('GET, HEAD')]).toEqual([path, 405, true]);
      await posted.text();
      const head = await fetch(`http://${host}${path.replace('/events?topic=chat', '/metrics')}`, { method: 'HEAD' });
      expect([path, head.status]).toEqual([path, 200]);
    }
  });

  it('takes WebSocket upgrades on /ws once the HTTP server is attached', async () => {
    const host = await start();
    const ws = new WebSocket(`ws://${host}/ws`, 'oxidite.v1');
    cleanup.push(async () => ws.terminate());
    const welcome = await new Promise<string>((resolve, reject) => {
      ws.once('message', (data) => resolve(String(data)));
      ws.once('error', reject);
    });
    expect(JSON.parse(welcome)).toMatchObject({ type: 'welcome' });
  });
});
