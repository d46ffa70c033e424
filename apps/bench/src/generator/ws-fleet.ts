import { WebSocket } from 'ws';
import { monoMs } from '../shared/clock';
import { SUBPROTOCOL } from '../shared/targets';
import type { SubscriberFleet } from './fleet';
import { extractSendTime, type LatencyRecorder } from './latency';

const OPEN_TIMEOUT_MS = 15_000;
const SUBSCRIBED = Buffer.from('"type":"subscribed"');

/**
 * Raw `ws` sockets speaking the Oxidite protocol directly (the hand-written `ws` servers accept
 * the same frames): wait for `welcome`, send `subscribe`, wait for `subscribed`, then only count
 * and timestamp. No JSON parsing on the hot path, no compression, no UTF-8 validation.
 */
export class WsFleet implements SubscriberFleet {
  readonly #url: string;
  readonly #subscribe: string;
  readonly #sockets = new Set<WebSocket>();
  received = 0;
  lost = 0;
  latency: LatencyRecorder | undefined;

  constructor(url: string, topic: string) {
    this.#url = url;
    this.#subscribe = JSON.stringify({ type: 'subscribe', id: 1, topic });
  }

  get size(): number {
    return this.#sockets.size;
  }

  readonly #onMessage = (data: Buffer): void => {
    this.received++;
    const latency = this.latency;
    if (latency) latency.add(monoMs() - extractSendTime(data));
  };

  openOne(): Promise<void> {
    return openSocket(this.#url, this.#subscribe).then((ws) => {
      this.#sockets.add(ws);
      ws.on('message', this.#onMessage);
      ws.on('close', () => {
        if (this.#sockets.delete(ws)) this.lost++;
      });
    });
  }

  async close(): Promise<void> {
    const sockets = [...this.#sockets];
    this.#sockets.clear();
    for (const ws of sockets) ws.terminate();
  }
}

/**
 * Opens a raw socket; resolves after `welcome`, or — with `subscribe` — after the `subscribed`
 * answer to it. Rejects on error, refusal or after {@link OPEN_TIMEOUT_MS}. `localAddress` binds
 * the client end to that source address (127.0.0.x: each has its own ephemeral ports).
 */
export function openSocket(url: string, subscribe?: string, localAddress?: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, SUBPROTOCOL, {
      perMessageDeflate: false,
      skipUTF8Validation: true,
      ...(localAddress ? { localAddress } : {}),
    });
    let isWelcomed = false;
    const settle = (): void => {
      clearTimeout(timer);
      ws.off('message', onMessage);
      ws.off('error', onError);
      ws.off('close', onClose);
      ws.on('error', ignore);
    };
    const fail = (error: Error): void => {
      settle();
      ws.terminate();
      reject(error);
    };
    const onMessage = (data: Buffer): void => {
      if (!isWelcomed && subscribe !== undefined) {
        isWelcomed = true;
        ws.send(subscribe);
        return;
      }
      if (subscribe !== undefined && !data.includes(SUBSCRIBED)) {
        fail(new Error(`subscribe refused: ${data}`));
        return;
      }
      settle();
      resolve(ws);
    };
    const onError = (error: Error): void => fail(error);
    const onClose = (code: number): void => fail(new Error(`closed during handshake (${code})`));
    const timer = setTimeout(() => fail(new Error('handshake timeout')), OPEN_TIMEOUT_MS);
    ws.on('message', onMessage);
    ws.on('error', onError);
    ws.on('close', onClose);
  });
}

function ignore(): void {}
