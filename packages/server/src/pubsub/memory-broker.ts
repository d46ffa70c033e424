import { createEpoch, type Member, type StreamOffset } from '@oxidite/protocol';
import type {
  Broker,
  BrokerListener,
  BrokerPublishOptions,
  HistoryResult,
  Payload,
  PublishedMessage,
  Retention,
  StreamMessage,
} from './broker';
import { type DedupeOptions, DedupeWindows } from './dedupe-window';
import { HistoryRing } from './history';
import { MemoryPresence } from './memory-presence';

/** Options of {@link createMemoryBroker}. */
export interface MemoryBrokerOptions {
  /** Clock, for tests. @default Date.now */
  readonly now?: (() => number) | undefined;
  /** How often history older than its topic's `maxAge` is dropped (and idle topics forgotten), in ms. @default 60_000 */
  readonly sweepInterval?: number | undefined;
  /**
   * Server-wide budget for history, in bytes (payload sizes plus ~160 bytes per message). Past it
   * the oldest messages of the least recently published topics go first, whatever their own
   * retention: history over unlimited topic names can never outgrow it. A client resuming from an
   * evicted position gets `recovered: false`, as for any gap.
   * @default 67_108_864 (64 MiB)
   */
  readonly maxHistoryBytes?: number | undefined;
  /**
   * Topics kept without listener or history only to remember their position (so that a client
   * resubscribing with `since` learns it missed nothing). Past it the least recently idle are
   * forgotten (such a client gets `recovered: false`); the sweep forgets them all.
   * @default 10_000
   */
  readonly maxIdleTopics?: number | undefined;
  /** Bounds of the window in which a repeated idempotency key is not published again. @default { window: 120_000, maxKeys: 10_000 } */
  readonly dedupe?: DedupeOptions | undefined;
}

interface TopicState {
  readonly epoch: string;
  seq: number;
  readonly ring: HistoryRing;
  maxAge: number;
}

/**
 * The single-process broker: streams, history and presence in memory. A restart starts new
 * epochs, so clients learn (`recovered: false`) that history was lost instead of missing it.
 *
 * A topic keeps state only while it has a listener or retained history: one without either is
 * released at once (issue #14: unique-topic churn held ~426 bytes per name until a sweep), so
 * topic state is bounded by the subscriptions and by `maxHistoryBytes`.
 */
export class MemoryBroker implements Broker {
  readonly #topics = new Map<string, TopicState>();
  /** Topics with retained history, least recently published first (the budget's eviction order). */
  readonly #retained = new Map<string, TopicState>();
  /** Topics kept only for their position, least recently idle first. */
  readonly #idle = new Map<string, TopicState>();
  readonly #listeners = new Map<string, BrokerListener>();
  readonly #presence = new MemoryPresence((change) => this.#listeners.get(change.topic)?.onPresence(change));
  readonly #dedupe: DedupeWindows;
  readonly #now: () => number;
  readonly #sweep: ReturnType<typeof setInterval>;
  readonly #maxHistoryBytes: number;
  readonly #maxIdleTopics: number;
  #historyBytes = 0;
  /**
   * The epoch of topics created from nothing. A topic released with nothing ever published comes
   * back with the same epoch, so a client holding `<epoch>:0` from it still recovers; the base
   * changes whenever a topic that had a position is forgotten, so no position is ever reused.
   */
  #baseEpoch = createEpoch();

  constructor(options: MemoryBrokerOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#maxHistoryBytes = options.maxHistoryBytes ?? 64 * 1024 * 1024;
    this.#maxIdleTopics = options.maxIdleTopics ?? 10_000;
    this.#dedupe = new DedupeWindows(options.dedupe);
    this.#sweep = setInterval(() => this.#forgetIdleTopics(), options.sweepInterval ?? 60_000);
    this.#sweep.unref?.();
  }

  #state(topic: string, retention?: Retention): TopicState {
    let state = this.#topics.get(topic);
    if (!state) {
      state = {
        epoch: this.#baseEpoch,
        seq: 0,
        ring: new HistoryRing(retention?.size ?? 0),
        maxAge: retention?.maxAge ?? 0,
      };
      this.#topics.set(topic, state);
    } else if (retention && state.ring.capacity === 0 && retention.size > 0) {
      // First sight of the topic was a read without retention; adopt the real retention now.
      state = { epoch: state.epoch, seq: state.seq, ring: new HistoryRing(retention.size), maxAge: retention.maxAge };
      this.#topics.set(topic, state);
    }
    return state;
  }

  async publish(
    topic: string,
    payload: Payload,
    retention: Retention,
    options?: BrokerPublishOptions,
  ): Promise<PublishedMessage> {
    return this.publishSync(topic, payload, retention, options);
  }

  async firstPublish(topic: string, idempotencyKey: string): Promise<StreamOffset | undefined> {
    return this.#dedupe.get(topic, idempotencyKey, this.#now())?.offset;
  }

  /**
   * `publish` without the promise, for code that holds a MemoryBroker itself (tests, tools): the
   * memory broker needs no I/O. The hub only knows the `Broker` interface, so it never calls this.
   * Being synchronous makes the dedupe check and the append one step.
   */
  publishSync(topic: string, payload: Payload, retention: Retention, options?: BrokerPublishOptions): PublishedMessage {
    const key = options?.idempotencyKey;
    const ts = this.#now();
    const first = key === undefined ? undefined : this.#dedupe.get(topic, key, ts);
    if (first) return { topic, offset: first.offset, ts: first.ts, payload, isDuplicate: true };
    const state = this.#state(topic, retention);
    state.seq++;
    const offset = { epoch: state.epoch, seq: state.seq };
    const traceparent = options?.traceparent;
    // Untraced messages keep the shape (and the retained size) they always had.
    const message: StreamMessage =
      traceparent === undefined ? { topic, offset, ts, payload } : { topic, offset, ts, payload, traceparent };
    if (key !== undefined) this.#dedupe.remember(topic, key, { offset: message.offset, ts });
    const before = state.ring.bytes;
    state.ring.push(message);
    this.#historyBytes += state.ring.bytes - before;
    this.#retained.delete(topic);
    if (state.ring.length > 0) {
      this.#retained.set(topic, state);
      this.#idle.delete(topic);
    }
    this.#listeners.get(topic)?.onMessage(message);
    if (this.#historyBytes > this.#maxHistoryBytes) this.#shed();
    this.#releaseIfIdle(topic, state);
    return message;
  }

  async subscribe(topic: string, listener: BrokerListener): Promise<void> {
    this.#listeners.set(topic, listener);
    this.#idle.delete(topic);
  }

  async unsubscribe(topic: string): Promise<void> {
    this.#listeners.delete(topic);
    const state = this.#topics.get(topic);
    if (state) this.#releaseIfIdle(topic, state);
  }

  async history(topic: string, since: StreamOffset | undefined, limit: number): Promise<HistoryResult> {
    const state = this.#state(topic);
    this.#evictAged(topic, state, this.#now());
    const position = { epoch: state.epoch, seq: state.seq };
    if (since === undefined) return { messages: state.ring.last(limit), position, recovered: true };
    // Another epoch (a restart): the old tail is unknown, but the current epoch's history is not.
    if (since.epoch !== state.epoch) return { messages: state.ring.after(0), position, recovered: false };
    if (since.seq > state.seq) return { messages: [], position, recovered: false };
    if (since.seq === state.seq) return { messages: [], position, recovered: true };
    const oldest = state.ring.oldestSeq();
    if (oldest === undefined || oldest > since.seq + 1) return { messages: [], position, recovered: false };
    return { messages: state.ring.after(since.seq), position, recovered: true };
  }

  /** Presence is per user: a user's second connection joins silently, their last leave is announced. */
  async join(topic: string, member: Member): Promise<void> {
    this.#presence.join(topic, member);
  }

  async leave(topic: string, member: Member): Promise<void> {
    this.#presence.leave(topic, member);
  }

  async members(topic: string): Promise<Member[]> {
    return this.#presence.members(topic);
  }

  async close(): Promise<void> {
    clearInterval(this.#sweep);
    this.#listeners.clear();
  }

  /** Number of topics with state, for tests and stats. */
  get topicCount(): number {
    return this.#topics.size;
  }

  /** Approximate bytes of history held across all topics (bounded by `maxHistoryBytes`). */
  get historyBytes(): number {
    return this.#historyBytes;
  }

  /** Drops the oldest messages of the least recently published topics until within budget. */
  #shed(): void {
    for (const [topic, state] of this.#retained) {
      if (this.#historyBytes <= this.#maxHistoryBytes) return;
      while (state.ring.length > 0 && this.#historyBytes > this.#maxHistoryBytes) {
        const before = state.ring.bytes;
        state.ring.shift();
        this.#historyBytes += state.ring.bytes - before;
      }
      if (state.ring.length === 0) this.#retained.delete(topic);
      this.#releaseIfIdle(topic, state);
    }
  }

  #evictAged(topic: string, state: TopicState, now: number): void {
    if (state.maxAge <= 0 || state.ring.length === 0) return;
    const before = state.ring.bytes;
    state.ring.evictOlderThan(now - state.maxAge);
    this.#historyBytes += state.ring.bytes - before;
    if (state.ring.length === 0) this.#retained.delete(topic);
  }

  /**
   * A topic without listener and history is forgotten at once if nothing was ever published to it
   * (it would start the same way anew); otherwise its position is kept among at most
   * `maxIdleTopics` until the sweep.
   */
  #releaseIfIdle(topic: string, state: TopicState): void {
    if (state.ring.length > 0 || this.#listeners.has(topic) || this.#topics.get(topic) !== state) return;
    if (state.seq === 0) {
      this.#topics.delete(topic);
      return;
    }
    this.#idle.delete(topic);
    this.#idle.set(topic, state);
    if (this.#idle.size <= this.#maxIdleTopics) return;
    const [oldest, oldestState] = this.#idle.entries().next().value as [string, TopicState];
    this.#idle.delete(oldest);
    if (this.#topics.get(oldest) === oldestState) this.#forget(oldest, oldestState);
  }

  #forget(topic: string, state: TopicState): void {
    this.#topics.delete(topic);
    if (state.seq > 0) this.#baseEpoch = createEpoch();
  }

  #forgetIdleTopics(): void {
    const now = this.#now();
    this.#dedupe.sweep(now);
    for (const [topic, state] of this.#topics) {
      this.#evictAged(topic, state, now);
      if (state.ring.length > 0 || this.#listeners.has(topic)) continue;
      this.#forget(topic, state);
      this.#idle.delete(topic);
    }
  }
}

/** Creates the in-memory broker (the default). */
export function createMemoryBroker(options?: MemoryBrokerOptions): MemoryBroker {
  return new MemoryBroker(options);
}
