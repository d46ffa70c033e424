import type { StreamMessage } from './broker';

/**
 * A bounded ring of one topic's recent messages, evicting by count and by age. Memory is
 * O(size) per topic whatever the publish rate.
 */
export class HistoryRing {
  #items: (StreamMessage | undefined)[];
  #start = 0;
  #length = 0;

  constructor(capacity: number) {
    this.#items = new Array(Math.max(0, capacity));
  }

  get capacity(): number {
    return this.#items.length;
  }

  get length(): number {
    return this.#length;
  }

  /** Appends, evicting the oldest when full. */
  push(message: StreamMessage): void {
    const capacity = this.#items.length;
    if (capacity === 0) return;
    if (this.#length < capacity) {
      this.#items[(this.#start + this.#length) % capacity] = message;
      this.#length++;
    } else {
      this.#items[this.#start] = message;
      this.#start = (this.#start + 1) % capacity;
    }
  }

  /** Drops messages published before `cutoff` (ms since the epoch). */
  evictOlderThan(cutoff: number): void {
    const capacity = this.#items.length;
    while (this.#length > 0) {
      const oldest = this.#items[this.#start] as StreamMessage;
      if (oldest.ts >= cutoff) break;
      this.#items[this.#start] = undefined;
      this.#start = (this.#start + 1) % capacity;
      this.#length--;
    }
  }

  /** The oldest retained message's seq, or undefined when empty. */
  oldestSeq(): number | undefined {
    return this.#length === 0 ? undefined : (this.#items[this.#start] as StreamMessage).offset.seq;
  }

  /** Messages with seq > `afterSeq`, oldest first. */
  after(afterSeq: number): StreamMessage[] {
    const out: StreamMessage[] = [];
    const capacity = this.#items.length;
    for (let i = 0; i < this.#length; i++) {
      const message = this.#items[(this.#start + i) % capacity] as StreamMessage;
      if (message.offset.seq > afterSeq) out.push(message);
    }
    return out;
  }

  /** The newest `limit` messages, oldest first. */
  last(limit: number): StreamMessage[] {
    const all = this.after(-1);
    return limit >= all.length ? all : all.slice(all.length - limit);
  }
}
