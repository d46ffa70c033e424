import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ClientOptions, createClient, type RealtimeClient } from '@oxidite/client';
import {
  createMemoryNotificationStore,
  createNotificationService,
  createRealtimeServer,
  type NotificationService,
  type RealtimeServer,
} from '@oxidite/server';
import { eventually } from '@oxidite/test-utils';
import type { ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { afterEach, expect } from 'vitest';
import { WebSocket } from 'ws';
import { type Methods, methods, type Topics, topics } from './topics';

/**
 * Fixtures of the hook tests: a real server on 127.0.0.1 port 0 (WebSocket on /ws, SSE on
 * /events, notifications), real clients over `ws`, and React roots in happy-dom; all torn down
 * after each test, roots first, servers last.
 */
const teardown: (() => unknown)[] = [];
afterEach(async () => {
  for (const dispose of teardown.splice(0).reverse()) await dispose();
});

export type TestClient = RealtimeClient<Topics, Methods>;

export interface TestServer {
  readonly rt: RealtimeServer<Topics, Methods>;
  readonly http: Server;
  readonly port: number;
  readonly url: string;
  readonly origin: string;
  readonly notifications: NotificationService;
  /** Every live subscription the server started (`rt.on('subscribe')`), by topic, in order. */
  readonly subscribes: string[];
  /** Every live subscription that ended. */
  readonly unsubscribes: string[];
  /** Connections the server accepted. */
  readonly connections: { count: number };
  close(): Promise<void>;
}

/** Users authenticate with their id as the token (`user-<id>`); without one they are `guest`. */
const auth = ({ token }: { token?: string | undefined }) => ({
  id: token?.startsWith('user-') ? token.slice(5) : 'guest',
});

/** A static page the test server serves itself, by path. */
export type Pages = Readonly<Record<string, { readonly type: string; readonly body: string }>>;

/**
 * A realtime server with the test maps on 127.0.0.1 (`port` 0: any free port), which also serves
 * `pages`, so that a browser page and its WebSocket and SSE share one origin.
 */
export async function startServer(port = 0, pages: Pages = {}): Promise<TestServer> {
  const rt = createRealtimeServer({ topics, methods, auth });
  rt.rpc('math.double', ({ n }) => ({ n: n * 2 }));
  const notifications = createNotificationService({ store: createMemoryNotificationStore(), realtime: rt });
  const http = createServer((req, res) => {
    if (req.url?.startsWith('/events')) return rt.handlers.events(req, res);
    const page = pages[new URL(req.url ?? '/', 'http://page').pathname];
    if (page) res.writeHead(200, { 'content-type': page.type }).end(page.body);
    else res.writeHead(404).end();
  });
  rt.attach(http);
  await new Promise<void>((resolve) => http.listen(port, '127.0.0.1', resolve));
  const subscribes: string[] = [];
  const unsubscribes: string[] = [];
  const connections = { count: 0 };
  rt.on('subscribe', (_connection, { topic }) => subscribes.push(topic));
  rt.on('unsubscribe', (_connection, { topic }) => unsubscribes.push(topic));
  rt.on('connection', () => connections.count++);
  const actual = (http.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      await rt.close();
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    })();
    return closing;
  };
  teardown.push(close);
  return {
    rt,
    http,
    port: actual,
    url: `ws://127.0.0.1:${actual}/ws`,
    origin: `http://127.0.0.1:${actual}`,
    notifications,
    subscribes,
    unsubscribes,
    connections,
    close,
  };
}

/** A client of the test maps over `ws`, with short retry delays; closed after the test. */
export function connect(url: string, options: Partial<ClientOptions<Topics, Methods>> = {}): TestClient {
  const client = createClient({
    url,
    topics,
    methods,
    WebSocket,
    ...options,
    reconnect: { minDelay: 10, maxDelay: 100, ...options.reconnect },
  });
  teardown.push(() => client.close());
  return client;
}

/** A React root in the test's document; unmounted after the test. */
export function render(node: ReactNode): {
  readonly container: HTMLElement;
  rerender(node: ReactNode): void;
  unmount(): void;
} {
  const container = document.createElement('div');
  document.body.append(container);
  const root = createRoot(container);
  root.render(node);
  let isMounted = true;
  const unmount = () => {
    if (isMounted) root.unmount();
    isMounted = false;
    container.remove();
  };
  teardown.push(unmount);
  return { container, rerender: (next) => root.render(next), unmount };
}

/** Waits until `container` shows `text` (React renders on its own schedule). */
export function shows(container: HTMLElement, text: string, ms = 10_000): Promise<void> {
  return eventually(async () => expect(container.textContent).toContain(text), `"${text}" on screen`, ms);
}

/** Registers something to dispose after the test. */
export function onTeardown(dispose: () => unknown): void {
  teardown.push(dispose);
}
