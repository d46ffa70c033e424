import type { StreamMessage } from './broker';

/** Bytes a retained message is charged beyond its payload (the message object, its offset). */
const MESSAGE_OVERHEAD = 160;

/** Approximate bytes a retained message holds: its payload (JSON text or bytes) and overhead. */
export function retainedBytes(message: StreamMessage): number {
  return MESSAGE_OVERHEAD + (message.payload.json?.length ?? message.payload.bytes?.byteLength ?? 0);
}

/**
 * A bounded ring of one topic's recent messages, evicting by count and by age. Memory is
 * O(size) per topic whatever the publish rate; `bytes` tracks what it holds, for the broker's
 * server-wide budget.
 */
export class HistoryRing {
  /** Physical slots: grown on demand up to `capacity`, so an idle topic costs no slots. */
  #items: (StreamMessage | undefined)[] = [];
  readonly #capacity: number;
  #start = 0;
  #length = 0;
  #bytes = 0;

  constructor(capacity: number) {
    this.#capacity = Math.max(0, capacity);
  }

  get capacity(): number {
    return this.#capacity;
  }

  get length(): number {
    return this.#length;
  }

  /** Approximate bytes retained (see {@link retainedBytes}). */
  get bytes(): number {
    return this.#bytes;
  }

  /** Appends, evicting the oldest when full. */
  push(message: StreamMessage): void {
    if (this.#capacity === 0) return;
    this.#bytes += retainedBytes(message);
    if (this.#length === this.#capacity) {
      this.#bytes -= retainedBytes(this.#items[this.#start] as StreamMessage);
      this.#items[this.#start] = message;
      this.#start = (this.#start + 1) % this.#items.length;
      return;
    }
    if (this.#length === this.#items.length) this.#grow();
    this.#items[(this.#start + this.#length) % this.#items.length] = message;
    this.#length++;
  }

  /** Re-lays the ring out from slot 0 in a larger array (doubling, at most `capacity` slots). */
  #grow(): void {
    const items: (StreamMessage | undefined)[] = this.after(-1);
    items.length = Math.min(this.#capacity, Math.max(8, this.#items.length * 2));
    this.#items = items;
    this.#start = 0;
  }

  /** Drops the oldest message (the server-wide budget takes from the least recently used topics). */
  shift(): void {
    if (this.#length === 0) return;
    this.#bytes -= retainedBytes(this.#items[this.#start] as StreamMessage);
    this.#items[this.#start] = undefined;
    this.#start = (this.#start + 1) % this.#items.length;
    this.#length--;
  }

  /** Drops messages published before `cutoff` (ms since the epoch). */
  evictOlderThan(cutoff: number): void {
    const capacity = this.#items.length;
    while (this.#length > 0) {
      const oldest = this.#items[this.#start] as StreamMessage;
      if (oldest.ts >= cutoff) break;
      this.#bytes -= retainedBytes(oldest);
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
