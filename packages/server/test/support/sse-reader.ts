import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { createSseParser, type SseEvent } from '@oxidite/protocol';

/** A raw HTTP SSE reader: the events and comments it parsed, with deadline-bound waits. */
export class SseReader {
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  readonly response: Promise<IncomingMessage>;
  readonly ended: Promise<void>;
  readonly req: ClientRequest;
  #listeners: (() => void)[] = [];

  constructor(url: string, headers: Record<string, string> = {}) {
    const parser = createSseParser({
      onEvent: (event) => {
        this.events.push(event);
        for (const listener of this.#listeners) listener();
      },
      onComment: (text) => {
        this.comments.push(text);
        for (const listener of this.#listeners) listener();
      },
    });
    this.req = request(url, { headers });
    this.req.on('error', () => {});
    this.response = new Promise((resolve) => this.req.on('response', resolve));
    this.ended = new Promise((resolve) => {
      this.req.on('response', (res) => {
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => parser.feed(chunk));
        res.on('end', () => resolve());
        res.on('close', () => resolve());
      });
      this.req.on('error', () => resolve());
    });
    this.req.end();
  }

  /** Waits until `predicate` holds over what was received, within `timeout` ms. */
  until(predicate: () => boolean, timeout = 5_000, what = 'SSE condition'): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#listeners = this.#listeners.filter((l) => l !== check);
        reject(new Error(`timed out waiting for ${what}; events: ${JSON.stringify(this.events.slice(-5))}`));
      }, timeout);
      const check = (): void => {
        if (!predicate()) return;
        clearTimeout(timer);
        this.#listeners = this.#listeners.filter((l) => l !== check);
        resolve();
      };
      this.#listeners.push(check);
    });
  }

  /** Data of `message` events, parsed. */
  messages(): { topic: string; offset: string; data: unknown }[] {
    return this.events.filter((e) => e.type === 'message').map((e) => JSON.parse(e.data));
  }

  close(): void {
    this.req.destroy();
  }
}
