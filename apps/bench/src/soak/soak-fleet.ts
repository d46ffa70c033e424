import { WebSocket } from 'ws';
import { SUBPROTOCOL } from '../shared/targets';

const MESSAGE = Buffer.from('{"type":"message"');
const SUBSCRIBED = Buffer.from('{"type":"subscribed"');
const OPEN_TIMEOUT_MS = 15_000;

interface SoakSocket {
  ws: WebSocket | undefined;
  readonly topic: string;
  readonly address: string;
  /** The last `n` seen on the topic (the publisher numbers each topic's messages from 1). */
  last: number;
  /** Where to resume after an unexpected close. */
  offset: string | undefined;
}

/**
 * The soak's subscribers: raw `ws` sockets bound to loopback source addresses, one topic each.
 * They answer server pings (ws does), send an app-level `ping` every heartbeat, check that every
 * topic's numbering arrives without gaps or repeats, and resume with `since` after an unexpected
 * close (counted), as the client library would.
 */
export class SoakFleet {
  readonly #url: string;
  readonly #sockets: SoakSocket[] = [];
  #isClosing = false;
  received = 0;
  lost = 0;
  duplicates = 0;
  unexpectedCloses = 0;
  reconnects = 0;
  readonly closeCodes = new Map<number, number>();

  constructor(url: string) {
    this.#url = url;
  }

  get size(): number {
    return this.#sockets.length;
  }

  /** Opens `count` sockets, `concurrency` at a time, spread over topics and source addresses. */
  async open(
    count: number,
    topics: readonly string[],
    addresses: readonly string[],
    concurrency: number,
    onProgress: (n: number) => void,
  ): Promise<void> {
    let next = 0;
    let opened = 0;
    const worker = async (): Promise<void> => {
      while (next < count) {
        const i = next++;
        const socket: SoakSocket = {
          ws: undefined,
          topic: topics[i % topics.length] as string,
          address: addresses[i % addresses.length] as string,
          last: 0,
          offset: undefined,
        };
        this.#sockets.push(socket);
        await this.#connect(socket);
        if (++opened % 1_000 === 0) onProgress(opened);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  }

  /** Sends an app-level ping on the sockets of slice `slice` of `slices` (spreads a heartbeat round). */
  ping(slice: number, slices: number): void {
    for (let i = slice; i < this.#sockets.length; i += slices) {
      const ws = this.#sockets[i]?.ws;
      if (ws?.readyState === WebSocket.OPEN) ws.send('{"type":"ping"}');
    }
  }

  /** Whether every socket has seen its topic up to `finals` (topic → last published n). */
  isCaughtUp(finals: ReadonlyMap<string, number>): boolean {
    return this.#sockets.every((s) => s.last >= (finals.get(s.topic) ?? 0));
  }

  /** Counts what never arrived: every socket should have seen its topic up to `finals`. */
  settle(finals: ReadonlyMap<string, number>): void {
    for (const socket of this.#sockets) this.lost += Math.max(0, (finals.get(socket.topic) ?? 0) - socket.last);
  }

  close(): void {
    this.#isClosing = true;
    for (const socket of this.#sockets) socket.ws?.terminate();
  }

  #connect(socket: SoakSocket): Promise<void> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.#url, SUBPROTOCOL, {
        perMessageDeflate: false,
        localAddress: socket.address,
      });
      socket.ws = ws;
      const timer = setTimeout(() => {
        ws.terminate();
        reject(new Error('handshake timeout'));
      }, OPEN_TIMEOUT_MS);
      let isWelcomed = false;
      let isSubscribed = false;
      ws.on('message', (data: Buffer) => {
        if (!isWelcomed) {
          isWelcomed = true;
          const resume = socket.offset ? { since: socket.offset } : {};
          ws.send(JSON.stringify({ type: 'subscribe', id: 1, topic: socket.topic, ...resume }));
          return;
        }
        if (!isSubscribed && data.subarray(0, SUBSCRIBED.length).equals(SUBSCRIBED)) {
          isSubscribed = true;
          socket.offset ??= (JSON.parse(data.toString()) as { offset: string }).offset;
          clearTimeout(timer);
          resolve();
          return;
        }
        if (data.subarray(0, MESSAGE.length).equals(MESSAGE)) this.#receive(socket, data);
      });
      ws.on('error', (error) => {
        clearTimeout(timer);
        if (!isSubscribed) reject(error);
      });
      ws.on('close', (code) => {
        clearTimeout(timer);
        if (!isSubscribed) return void reject(new Error(`closed during handshake (${code})`));
        if (this.#isClosing || socket.ws !== ws) return;
        this.unexpectedCloses++;
        this.closeCodes.set(code, (this.closeCodes.get(code) ?? 0) + 1);
        this.#reconnect(socket, 1);
      });
    });
  }

  #reconnect(socket: SoakSocket, attempt: number): void {
    const delay = Math.random() * Math.min(5_000, 100 * 2 ** attempt);
    setTimeout(() => {
      if (this.#isClosing) return;
      this.reconnects++;
      this.#connect(socket).catch(() => this.#reconnect(socket, attempt + 1));
    }, delay);
  }

  #receive(socket: SoakSocket, data: Buffer): void {
    const message = JSON.parse(data.toString()) as { offset: string; data: { n: number } };
    const { n } = message.data;
    if (n <= socket.last) {
      this.duplicates++;
      return;
    }
    this.received++;
    this.lost += n - socket.last - 1;
    socket.last = n;
    socket.offset = message.offset;
  }
}
