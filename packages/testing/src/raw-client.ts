import { decodeServerBinaryFrame, type ServerEnvelope, SUBPROTOCOL } from '@oxidite/protocol';
import WebSocket from 'ws';

type Envelope = ServerEnvelope | { type: 'binary'; topic: string; offset: string; data: Uint8Array };
type Waiter = { match: (e: Envelope) => boolean; resolve: (e: Envelope) => void };

/**
 * A protocol-level test client over a real `ws` socket: it records every envelope and lets a
 * test wait for the next one that matches, with a deadline (no sleeps).
 */
export class RawClient {
  readonly ws: WebSocket;
  /** Every envelope received, in order. */
  readonly received: Envelope[] = [];
  /** Envelopes not yet consumed by `next`. */
  #inbox: Envelope[] = [];
  #waiters: Waiter[] = [];
  #nextId = 1;
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly opened: Promise<void>;

  constructor(
    url: string,
    options: { protocols?: string[]; headers?: Record<string, string>; autoPong?: boolean } = {},
  ) {
    this.ws = new WebSocket(url, options.protocols ?? [SUBPROTOCOL], {
      headers: options.headers,
      autoPong: options.autoPong ?? true,
    });
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
      this.ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
    this.closed = new Promise((resolve) => {
      this.ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    });
    this.ws.on('error', () => {});
    this.ws.on('message', (data: Buffer, isBinary) => {
      let envelope: Envelope;
      if (isBinary) {
        const result = decodeServerBinaryFrame(data);
        if (!result.ok) throw new Error(`bad binary frame: ${result.error.message}`);
        envelope = { type: 'binary', topic: result.value.topic, offset: result.value.offset, data: result.value.data };
      } else {
        envelope = JSON.parse(data.toString()) as ServerEnvelope;
      }
      this.received.push(envelope);
      const index = this.#waiters.findIndex((w) => w.match(envelope));
      if (index >= 0) {
        const [waiter] = this.#waiters.splice(index, 1);
        waiter?.resolve(envelope);
      } else {
        this.#inbox.push(envelope);
      }
    });
  }

  /** Connects and waits for `welcome`. */
  static async connect(url: string, options?: ConstructorParameters<typeof RawClient>[1]): Promise<RawClient> {
    const client = new RawClient(url, options);
    await client.opened;
    await client.next('welcome');
    return client;
  }

  /** Sends a raw frame or an envelope object. */
  send(frame: string | Buffer | Uint8Array | object): void {
    this.ws.send(typeof frame === 'object' && !(frame instanceof Uint8Array) ? JSON.stringify(frame) : frame);
  }

  id(): number {
    return this.#nextId++;
  }

  /** Waits for the next unseen envelope matching `type` (and `predicate`), within `timeout` ms. */
  next<T extends Envelope['type']>(
    type: T,
    predicate: (e: Extract<Envelope, { type: T }>) => boolean = () => true,
    timeout = 5_000,
  ): Promise<Extract<Envelope, { type: T }>> {
    return this.waitFor(
      (e): e is Extract<Envelope, { type: T }> => e.type === type && predicate(e as Extract<Envelope, { type: T }>),
      timeout,
      type,
    );
  }

  /** Waits for the next unseen envelope matching `match`, within `timeout` ms. */
  waitFor<E extends Envelope>(match: (e: Envelope) => e is E, timeout = 5_000, what = 'envelope'): Promise<E> {
    const index = this.#inbox.findIndex(match);
    if (index >= 0) {
      const [envelope] = this.#inbox.splice(index, 1);
      return Promise.resolve(envelope as E);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        reject(
          new Error(
            `timed out after ${timeout} ms waiting for ${what}; got ${JSON.stringify(this.received.slice(-5))}`,
          ),
        );
      }, timeout);
      const waiter: Waiter = {
        match,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e as E);
        },
      };
      this.#waiters.push(waiter);
    });
  }

  /** Subscribes and waits for `subscribed` (or an `error`). */
  async subscribe(
    topic: string,
    extra: { since?: string; rewind?: number } = {},
  ): Promise<Extract<Envelope, { type: 'subscribed' | 'error' }>> {
    const id = this.id();
    this.send({ type: 'subscribe', id, topic, ...extra });
    return this.waitFor(
      (e): e is Extract<Envelope, { type: 'subscribed' | 'error' }> =>
        (e.type === 'subscribed' || e.type === 'error') && e.id === id,
    );
  }

  /** Publishes and waits for the `ack` (or an `error`) of that request. */
  async publish(topic: string, data: unknown): Promise<Extract<Envelope, { type: 'ack' | 'error' }>> {
    const id = this.id();
    this.send({ type: 'publish', id, topic, data });
    return this.waitFor(
      (e): e is Extract<Envelope, { type: 'ack' | 'error' }> => (e.type === 'ack' || e.type === 'error') && e.id === id,
    );
  }

  /** Messages received so far on `topic`, in order. */
  messages(topic: string): Extract<Envelope, { type: 'message' }>[] {
    return this.received.filter(
      (e): e is Extract<Envelope, { type: 'message' }> => e.type === 'message' && e.topic === topic,
    );
  }

  close(): Promise<{ code: number; reason: string }> {
    this.ws.close();
    return this.closed;
  }
}
