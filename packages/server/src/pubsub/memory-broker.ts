import { createEpoch, type Member, presenceKey, type StreamOffset } from '@oxidite/protocol';
import type { Broker, BrokerListener, HistoryResult, Payload, Retention, StreamMessage } from './broker';
import { HistoryRing } from './history';

/** Options of {@link createMemoryBroker}. */
export interface MemoryBrokerOptions {
  /** Clock, for tests. @default Date.now */
  readonly now?: () => number;
  /** How often idle topics (no listener, history aged out) are forgotten, in ms. @default 60_000 */
  readonly sweepInterval?: number;
}

/** One presence member (a user, or an anonymous connection) and its connections on the topic. */
interface PresenceEntry {
  readonly member: Member;
  readonly clients: Set<string>;
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
 */
export class MemoryBroker implements Broker {
  readonly #topics = new Map<string, TopicState>();
  readonly #listeners = new Map<string, BrokerListener>();
  readonly #presence = new Map<string, Map<string, PresenceEntry>>();
  readonly #now: () => number;
  readonly #sweep: ReturnType<typeof setInterval>;

  constructor(options: MemoryBrokerOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#sweep = setInterval(() => this.#forgetIdleTopics(), options.sweepInterval ?? 60_000);
    this.#sweep.unref?.();
  }

  #state(topic: string, retention?: Retention): TopicState {
    let state = this.#topics.get(topic);
    if (!state) {
      state = {
        epoch: createEpoch(),
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

  async publish(topic: string, payload: Payload, retention: Retention): Promise<StreamMessage> {
    return this.publishSync(topic, payload, retention);
  }

  /** Synchronous publish: the memory broker needs no I/O, and the hub's hot path skips a microtask. */
  publishSync(topic: string, payload: Payload, retention: Retention): StreamMessage {
    const state = this.#state(topic, retention);
    state.seq++;
    const message: StreamMessage = { topic, offset: { epoch: state.epoch, seq: state.seq }, ts: this.#now(), payload };
    state.ring.push(message);
    this.#listeners.get(topic)?.onMessage(message);
    return message;
  }

  async subscribe(topic: string, listener: BrokerListener): Promise<void> {
    this.#listeners.set(topic, listener);
  }

  async unsubscribe(topic: string): Promise<void> {
    this.#listeners.delete(topic);
  }

  async history(topic: string, since: StreamOffset | undefined, limit: number): Promise<HistoryResult> {
    const state = this.#state(topic);
    if (state.maxAge > 0) state.ring.evictOlderThan(this.#now() - state.maxAge);
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
    let members = this.#presence.get(topic);
    if (!members) {
      members = new Map();
      this.#presence.set(topic, members);
    }
    const key = presenceKey(member);
    const entry = members.get(key);
    if (entry) {
      entry.clients.add(member.client);
      return;
    }
    members.set(key, { member, clients: new Set([member.client]) });
    this.#listeners.get(topic)?.onPresence({ topic, joins: [member], leaves: [] });
  }

  async leave(topic: string, member: Member): Promise<void> {
    const members = this.#presence.get(topic);
    const key = presenceKey(member);
    const entry = members?.get(key);
    if (!members || !entry?.clients.delete(member.client) || entry.clients.size > 0) return;
    members.delete(key);
    if (members.size === 0) this.#presence.delete(topic);
    // The member as it was announced, so that clients match the leave to the join.
    this.#listeners.get(topic)?.onPresence({ topic, joins: [], leaves: [entry.member] });
  }

  async members(topic: string): Promise<Member[]> {
    return [...(this.#presence.get(topic)?.values() ?? [])].map((entry) => entry.member);
  }

  async close(): Promise<void> {
    clearInterval(this.#sweep);
    this.#listeners.clear();
  }

  /** Number of topics with state, for tests and stats. */
  get topicCount(): number {
    return this.#topics.size;
  }

  #forgetIdleTopics(): void {
    const now = this.#now();
    for (const [topic, state] of this.#topics) {
      if (this.#listeners.has(topic)) continue;
      if (state.maxAge > 0) state.ring.evictOlderThan(now - state.maxAge);
      if (state.ring.length === 0) this.#topics.delete(topic);
    }
  }
}

/** Creates the in-memory broker (the default). */
export function createMemoryBroker(options?: MemoryBrokerOptions): MemoryBroker {
  return new MemoryBroker(options);
}
