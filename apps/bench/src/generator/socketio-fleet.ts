import { io, type Socket } from 'socket.io-client';
import { monoMs } from '../shared/clock';
import type { SubscriberFleet } from './fleet';
import type { LatencyRecorder } from './latency';

const OPEN_TIMEOUT_MS = 15_000;

/**
 * socket.io-client sockets (websocket transport only, one engine per socket, no reconnection):
 * `subscribe` with an ack, then count `message` events. Socket.IO's client decodes every packet
 * (JSON), so this generator costs more per message than the raw `ws` one: reported beside it.
 */
export class SocketIoFleet implements SubscriberFleet {
  readonly #url: string;
  readonly #topic: string;
  readonly #sockets = new Set<Socket>();
  received = 0;
  lost = 0;
  latency: LatencyRecorder | undefined;

  constructor(url: string, topic: string) {
    this.#url = url;
    this.#topic = topic;
  }

  get size(): number {
    return this.#sockets.size;
  }

  readonly #onMessage = (payload: { t: number }): void => {
    this.received++;
    const latency = this.latency;
    if (latency) latency.add(monoMs() - payload.t);
  };

  openOne(): Promise<void> {
    return openSocketIo(this.#url).then(
      (socket) =>
        new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => {
            socket.disconnect();
            reject(new Error('subscribe: no ack'));
          }, OPEN_TIMEOUT_MS);
          socket.emit('subscribe', this.#topic, () => {
            clearTimeout(timer);
            this.#sockets.add(socket);
            socket.on('message', this.#onMessage);
            socket.on('disconnect', () => {
              if (this.#sockets.delete(socket)) this.lost++;
            });
            resolve();
          });
        }),
    );
  }

  async close(): Promise<void> {
    const sockets = [...this.#sockets];
    this.#sockets.clear();
    for (const socket of sockets) socket.disconnect();
  }
}

/** Connects one socket.io-client socket; resolves on `connect`. */
export function openSocketIo(url: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = io(url, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      timeout: OPEN_TIMEOUT_MS,
    });
    socket.once('connect', () => {
      socket.off('connect_error');
      resolve(socket);
    });
    socket.once('connect_error', (error) => {
      socket.disconnect();
      reject(error);
    });
  });
}
