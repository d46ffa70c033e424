import { createRealtimeServer, type RealtimeServer, type RealtimeServerOptions } from '@oxidite/server';
import { createTcpProxy, type TcpProxy, withDeadline } from '@oxidite/test-utils';
import { WebSocket } from 'ws';
import { afterEach } from 'vitest';
import type { PayloadOf, TopicName } from '@oxidite/protocol';
import {
  type ClientOptions,
  type ClientState,
  createClient,
  type MessageMeta,
  type RealtimeClient,
  type StateChange,
  type SubscribeOptions,
  type Subscription,
} from '../../src/index';
import { type Methods, methods, type Topics, topics } from './topics';

/**
 * Fixtures of the client tests: real servers on 127.0.0.1 port 0, fault-injecting proxies and
 * clients, all torn down after each test (clients first, servers last); and waits on events with
 * deadlines, never sleeps.
 */

const teardown: (() => unknown)[] = [];
afterEach(async () => {
  for (const dispose of teardown.splice(0).reverse()) await dispose();
});

export type TestClient = RealtimeClient<Topics, Methods>;

export interface TestServer {
  readonly rt: RealtimeServer<Topics, Methods>;
  readonly port: number;
  readonly url: string;
  /** Closes it now (clients get 1001); teardown will not close it again. */
  close(): Promise<void>;
}

/** A realtime server with the test topic map, on 127.0.0.1 (`port` 0: any free port). */
export async function startServer(
  options: Partial<RealtimeServerOptions<Topics, Methods>> = {},
  port = 0,
): Promise<TestServer> {
  const rt = createRealtimeServer({ topics, methods, ...options });
  const address = await rt.listen(port, '127.0.0.1');
  const close = () => rt.close();
  teardown.push(close);
  return { rt, port: address.port, url: `ws://127.0.0.1:${address.port}/ws`, close };
}

/** A fault-injecting TCP proxy to `port`, and the WebSocket URL through it. */
export async function startProxy(port: number): Promise<TcpProxy & { readonly url: string }> {
  const proxy = await createTcpProxy(port);
  teardown.push(() => proxy.close());
  return Object.assign(proxy, { url: `ws://127.0.0.1:${proxy.port}/ws` });
}

/** A client of the test topics over `ws`, with short retry delays. */
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

/** Registers something to dispose after the test. */
export function onTeardown(dispose: () => unknown): void {
  teardown.push(dispose);
}

/**
 * Waits for a callback-style event: `listen` subscribes with `done` and returns its unsubscribe.
 * Rejects after `ms` with a message naming `what`.
 */
export function waitFor<T>(listen: (done: (value: T) => void) => () => void, what: string, ms = 10_000): Promise<T> {
  let off = () => {};
  const waiting = new Promise<T>((resolve) => {
    off = listen(resolve);
  });
  return withDeadline(waiting, ms, what).finally(() => off());
}

/** The next change of `client` into state `to`. */
export function nextState(client: TestClient, to: ClientState, ms = 10_000): Promise<StateChange> {
  return waitFor((done) => client.on('state', (change) => change.to === to && done(change)), `state ${to}`, ms);
}

/** Every state change of `client` from now on. */
export function recordStates(client: TestClient): StateChange[] {
  const changes: StateChange[] = [];
  client.on('state', (change) => changes.push(change));
  return changes;
}

/** A condition to wait on: `until(check)` resolves once `check()` holds, re-checked on every `notify()`. */
export function createCondition(): {
  notify(): void;
  until(check: () => boolean, what: string, ms?: number): Promise<void>;
} {
  const waiters = new Set<{ check: () => boolean; resolve: () => void }>();
  return {
    notify() {
      for (const waiter of [...waiters]) {
        if (waiter.check()) {
          waiters.delete(waiter);
          waiter.resolve();
        }
      }
    },
    until(check, what, ms = 10_000) {
      if (check()) return Promise.resolve();
      let waiter: { check: () => boolean; resolve: () => void } | undefined;
      const waiting = new Promise<void>((resolve) => {
        waiter = { check, resolve };
        waiters.add(waiter);
      });
      return withDeadline(waiting, ms, what).finally(() => waiter && waiters.delete(waiter));
    },
  };
}

/** A subscription that records what it receives, and waits for a number of messages. */
export interface Collector<D> {
  readonly sub: Subscription;
  readonly messages: { readonly data: D; readonly meta: MessageMeta }[];
  /** The payloads so far. */
  data(): D[];
  /** Resolves once at least `n` messages arrived. */
  count(n: number, ms?: number): Promise<void>;
}

/** Subscribes `client` to `topic`, recording every message. */
export function collect<K extends TopicName<Topics>>(
  client: TestClient,
  topic: K,
  options?: SubscribeOptions,
): Collector<PayloadOf<Topics, K>> {
  const messages: { data: PayloadOf<Topics, K>; meta: MessageMeta }[] = [];
  const arrived = createCondition();
  const sub = client.subscribe(
    topic,
    (data, meta) => {
      messages.push({ data, meta });
      arrived.notify();
    },
    options,
  );
  return {
    sub,
    messages,
    data: () => messages.map((message) => message.data),
    count: (n, ms) =>
      arrived.until(() => messages.length >= n, `${n} messages on ${topic} (have ${messages.length})`, ms),
  };
}
