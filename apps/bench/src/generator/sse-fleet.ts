import { type ClientRequest, request } from 'node:http';
import type { SubscriberFleet } from './fleet';
import type { LatencyRecorder } from './latency';

const OPEN_TIMEOUT_MS = 15_000;
const MESSAGE = Buffer.from('event: message\n');
const SUBSCRIBED = 'event: subscribed\n';

/** Occurrences of `MESSAGE` in `chunk`, plus one that straddles `tail` (the previous chunk's end) and it. */
function countEvents(tail: Buffer | undefined, chunk: Buffer): number {
  let count = 0;
  for (let at = chunk.indexOf(MESSAGE); at >= 0; at = chunk.indexOf(MESSAGE, at + MESSAGE.length)) count++;
  if (tail) {
    const seam = Buffer.concat([tail, chunk.subarray(0, MESSAGE.length - 1)]);
    if (seam.includes(MESSAGE)) count++;
  }
  return count;
}

/**
 * SSE readers on plain `http` requests (one socket each): wait for `event: subscribed`, then count
 * `event: message` lines in the raw chunks, without parsing events.
 */
export class SseFleet implements SubscriberFleet {
  readonly #port: number;
  readonly #path: string;
  readonly #requests = new Set<ClientRequest>();
  received = 0;
  lost = 0;
  /** SSE latency is not measured (the scenario is about CPU per delivery). */
  latency: LatencyRecorder | undefined;

  constructor(port: number, path: string) {
    this.#port = port;
    this.#path = path;
  }

  get size(): number {
    return this.#requests.size;
  }

  openOne(): Promise<void> {
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: this.#port, path: this.#path, agent: false });
      const timer = setTimeout(() => fail(new Error('SSE subscribe timeout')), OPEN_TIMEOUT_MS);
      let isSubscribed = false;
      const fail = (error: Error): void => {
        clearTimeout(timer);
        req.destroy();
        reject(error);
      };
      req.on('error', (error) => {
        if (!isSubscribed) fail(error);
      });
      req.on('response', (res) => {
        if (res.statusCode !== 200) return fail(new Error(`SSE refused: HTTP ${res.statusCode}`));
        let head = '';
        let tail: Buffer | undefined;
        res.on('data', (chunk: Buffer) => {
          if (isSubscribed) {
            this.received += countEvents(tail, chunk);
            tail = chunk.subarray(Math.max(0, chunk.length - MESSAGE.length + 1));
            return;
          }
          head += chunk.toString('utf8');
          if (!head.includes(SUBSCRIBED)) return;
          isSubscribed = true;
          clearTimeout(timer);
          this.#requests.add(req);
          this.received += countEvents(undefined, Buffer.from(head.slice(head.indexOf(SUBSCRIBED))));
          resolve();
        });
        res.on('close', () => {
          if (this.#requests.delete(req)) this.lost++;
        });
      });
      req.end();
    });
  }

  async close(): Promise<void> {
    const requests = [...this.#requests];
    this.#requests.clear();
    for (const req of requests) req.destroy();
  }
}
