import { WebSocket } from 'ws';
import { SUBPROTOCOL } from '../shared/targets';

/**
 * The trickle: one connection publishing `{ n, topic }` round-robin over the topics, numbering
 * each topic's messages from 1, with an `id` so every publish is acknowledged or counted failed.
 */
export class SoakPublisher {
  readonly #ws: WebSocket;
  readonly #topics: readonly string[];
  readonly #sent = new Map<string, number>();
  /** topic → last n the server acknowledged (what subscribers must have seen by the end). */
  readonly acked = new Map<string, number>();
  #nextTopic = 0;
  #nextId = 1;
  #pending = new Map<number, { topic: string; n: number }>();
  published = 0;
  failed = 0;

  private constructor(ws: WebSocket, topics: readonly string[]) {
    this.#ws = ws;
    this.#topics = topics;
    ws.on('message', (data: Buffer) => {
      const envelope = JSON.parse(data.toString()) as { type: string; id?: number };
      if (envelope.id === undefined || (envelope.type !== 'ack' && envelope.type !== 'error')) return;
      const request = this.#pending.get(envelope.id);
      if (!request) return;
      this.#pending.delete(envelope.id);
      if (envelope.type === 'ack') {
        this.published++;
        this.acked.set(request.topic, Math.max(this.acked.get(request.topic) ?? 0, request.n));
      } else {
        this.failed++;
      }
    });
  }

  static open(url: string, topics: readonly string[]): Promise<SoakPublisher> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, SUBPROTOCOL, { perMessageDeflate: false });
      ws.once('message', () => resolve(new SoakPublisher(ws, topics))); // welcome
      ws.once('error', reject);
    });
  }

  /** Requests not answered yet. */
  get pending(): number {
    return this.#pending.size;
  }

  publish(): void {
    if (this.#ws.readyState !== WebSocket.OPEN) {
      this.failed++;
      return;
    }
    const topic = this.#topics[this.#nextTopic++ % this.#topics.length] as string;
    const n = (this.#sent.get(topic) ?? 0) + 1;
    this.#sent.set(topic, n);
    const id = this.#nextId++;
    this.#pending.set(id, { topic, n });
    this.#ws.send(JSON.stringify({ type: 'publish', id, topic, data: { n, topic } }));
  }

  close(): void {
    this.#ws.terminate();
  }
}
