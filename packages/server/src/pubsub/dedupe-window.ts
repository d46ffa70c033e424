import type { StreamOffset } from '@oxidite/protocol';

/**
 * Bounds of a broker's dedupe window (issue #20): how long, and for how many later publishes, a
 * publish's idempotency key is remembered. A retry that comes later than either is a new message.
 */
export interface DedupeOptions {
  /** How long a key is remembered after its publish, in ms. @default 120_000 */
  readonly window?: number | undefined;
  /** Keys remembered per topic; past it the oldest are forgotten first. @default 10_000 */
  readonly maxKeys?: number | undefined;
}

/** {@link DedupeOptions} with the defaults filled in. */
export interface ResolvedDedupe {
  readonly window: number;
  readonly maxKeys: number;
}

/** The defaults of {@link DedupeOptions}, shared by every broker so they agree. */
export const DEDUPE_DEFAULTS: ResolvedDedupe = { window: 120_000, maxKeys: 10_000 };

/** Fills in the defaults, clamped to sane values (at least 1 ms and 1 key). */
export function resolveDedupe(options: DedupeOptions | undefined): ResolvedDedupe {
  return {
    window: Math.max(1, Math.floor(options?.window ?? DEDUPE_DEFAULTS.window)),
    maxKeys: Math.max(1, Math.floor(options?.maxKeys ?? DEDUPE_DEFAULTS.maxKeys)),
  };
}

/** What a key's first publish got: its position and publish time. */
export interface FirstPublish {
  readonly offset: StreamOffset;
  readonly ts: number;
}

/**
 * The memory broker's dedupe windows, one per topic: keys in publish order (a `Map` keeps
 * insertion order), so both bounds evict from the front in O(1) per key. A topic's window is
 * dropped once empty; `sweep` drops the expired ones of topics nobody publishes to any more.
 */
export class DedupeWindows {
  readonly #topics = new Map<string, Map<string, FirstPublish>>();
  readonly #window: number;
  readonly #maxKeys: number;

  constructor(options?: DedupeOptions) {
    const resolved = resolveDedupe(options);
    this.#window = resolved.window;
    this.#maxKeys = resolved.maxKeys;
  }

  /** The first publish of `key` on `topic`, if it is still in the window at `now`. */
  get(topic: string, key: string, now: number): FirstPublish | undefined {
    const keys = this.#topics.get(topic);
    if (!keys) return undefined;
    this.#expire(topic, keys, now);
    return keys.get(key);
  }

  /** Remembers `key`'s first publish (call after a `get` that found nothing). */
  remember(topic: string, key: string, first: FirstPublish): void {
    let keys = this.#topics.get(topic);
    if (!keys) {
      keys = new Map();
      this.#topics.set(topic, keys);
    }
    keys.set(key, first);
    if (keys.size > this.#maxKeys) keys.delete(keys.keys().next().value as string);
  }

  /** Forgets every expired key, and the topics left without any. */
  sweep(now: number): void {
    for (const [topic, keys] of this.#topics) this.#expire(topic, keys, now);
  }

  /** Keys remembered across all topics, for tests. */
  get size(): number {
    let size = 0;
    for (const keys of this.#topics.values()) size += keys.size;
    return size;
  }

  #expire(topic: string, keys: Map<string, FirstPublish>, now: number): void {
    const cutoff = now - this.#window;
    for (const [key, first] of keys) {
      if (first.ts > cutoff) break;
      keys.delete(key);
    }
    if (keys.size === 0) this.#topics.delete(topic);
  }
}
