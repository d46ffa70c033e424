import type { Socket } from 'node:net';
import { withDeadline } from '@oxidite/test-utils';
import { RawClient } from '../support/raw-client';
import { SseReader } from '../support/sse-reader';

/** An envelope as a suite client saw it, whatever the transport (SSE: the event's JSON data). */
export type SuiteEnvelope = { readonly type: string } & Record<string, unknown>;

/** A subscribed client of one transport, as the behaviour suite drives it. */
export interface SuiteClient {
  /** Everything received after the handshake, in order. */
  readonly received: readonly SuiteEnvelope[];
  /** How the server closed it: the WebSocket close, or the SSE `close` event (1006 when there was none). */
  readonly closed: Promise<{ code: number; reason: string }>;
  /** Waits (event-driven, with a deadline) until `predicate` holds over `received`. */
  until(predicate: (received: readonly SuiteEnvelope[]) => boolean, what: string, timeout?: number): Promise<void>;
  /** Stops reading at the TCP level: the kernel buffers fill, then the server's outbox. */
  stopReading(): void;
  resumeReading(): void;
  /** Drops the connection. */
  disconnect(): void;
}

/** How to reach a server over one transport. */
export interface TransportDriver {
  readonly name: string;
  readonly transport: 'websocket' | 'sse';
  /** Server options the transport needs. */
  readonly serverOptions: { readonly perMessageDeflate?: boolean };
  /**
   * Opens a client on `topics`, each resumed after `since[i]` when given, and waits for the
   * answer (`subscribed` or `error`) of every topic.
   */
  open(
    server: { readonly url: string; readonly port: number },
    topics: readonly string[],
    since?: readonly (string | undefined)[],
  ): Promise<SuiteClient>;
}

const answered = (topics: readonly string[]) => (received: readonly SuiteEnvelope[]) =>
  topics.every((topic) => received.some((e) => (e.type === 'subscribed' || e.type === 'error') && e.topic === topic));

function webSocketDriver(name: string, perMessageDeflate: boolean): TransportDriver {
  return {
    name,
    transport: 'websocket',
    serverOptions: { perMessageDeflate },
    async open(server, topics, since = []) {
      const client = await RawClient.connect(server.url);
      // The compressed peer is what this driver is for: fail loudly if the offer was not taken.
      if (client.ws.extensions.includes('permessage-deflate') !== perMessageDeflate) {
        throw new Error(`permessage-deflate ${perMessageDeflate ? 'not' : 'unexpectedly'} negotiated`);
      }
      const received: SuiteEnvelope[] = [];
      const listeners = new Set<() => void>();
      // RawClient's own listener ran first: the envelope of this frame is its last one.
      client.ws.on('message', () => {
        received.push(client.received.at(-1) as SuiteEnvelope);
        for (const listener of listeners) listener();
      });
      const suite: SuiteClient = {
        received,
        closed: client.closed,
        until: (predicate, what, timeout = 10_000) => waitUntil(listeners, () => predicate(received), what, timeout),
        stopReading: () => client.ws.pause(),
        resumeReading: () => client.ws.resume(),
        disconnect: () => client.ws.terminate(),
      };
      topics.forEach((topic, i) => {
        const after = since[i];
        client.send({ type: 'subscribe', id: client.id(), topic, ...(after ? { since: after } : {}) });
      });
      await suite.until(answered(topics), 'every subscribe answered');
      return suite;
    },
  };
}

const sseDriver: TransportDriver = {
  name: 'SSE',
  transport: 'sse',
  serverOptions: {},
  async open(server, topics, since = []) {
    const query = topics.map((topic) => `topic=${encodeURIComponent(topic)}`).join('&');
    const resume = since.some(Boolean)
      ? { 'last-event-id': topics.map((_, i) => since[i] ?? '').join(',') }
      : undefined;
    const reader = new SseReader(`http://127.0.0.1:${server.port}/events?${query}`, resume);
    const received: SuiteEnvelope[] = [];
    let closedWith = { code: 1006, reason: '' };
    const sync = (): boolean => {
      for (const event of reader.events.slice(received.length)) {
        const envelope = { type: event.type, ...(JSON.parse(event.data) as Record<string, unknown>) };
        received.push(envelope);
        if (event.type === 'close') closedWith = JSON.parse(event.data) as typeof closedWith;
      }
      return true;
    };
    const res = await reader.response;
    const suite: SuiteClient = {
      received,
      closed: reader.ended.then(() => {
        sync();
        return closedWith;
      }),
      until: (predicate, what, timeout = 10_000) => reader.until(() => sync() && predicate(received), timeout, what),
      stopReading: () => (res.socket as Socket).pause(),
      resumeReading: () => (res.socket as Socket).resume(),
      disconnect: () => reader.close(),
    };
    await suite.until(answered(topics), 'every subscribe answered');
    return suite;
  },
};

function waitUntil(listeners: Set<() => void>, holds: () => boolean, what: string, timeout: number): Promise<void> {
  if (holds()) return Promise.resolve();
  let listener = (): void => {};
  const done = new Promise<void>((resolve) => {
    listener = () => {
      if (holds()) resolve();
    };
    listeners.add(listener);
  });
  return withDeadline(done, timeout, what).finally(() => listeners.delete(listener));
}

/** Every transport a client can use; the suite runs over each. */
export const transports: readonly TransportDriver[] = [
  webSocketDriver('WebSocket', false),
  webSocketDriver('WebSocket + permessage-deflate', true),
  sseDriver,
];
