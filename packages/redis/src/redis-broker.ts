import { createEpoch, type Member, type StreamOffset } from '@oxidite/protocol';
import {
  type Broker,
  type BrokerListener,
  type BrokerPublishOptions,
  type DedupeOptions,
  type HistoryResult,
  type Payload,
  type PublishedMessage,
  type Retention,
  resolveDedupe,
  type StreamMessage,
} from '@oxidite/server';
import type { Redis } from 'ioredis';
import { HISTORY_SCRIPT, PUBLISH_SCRIPT } from './broker-scripts';
import { type RedisInput, duplicateConnection, openConnection, run } from './connection';
import { PresenceStore } from './presence-store';
import { decodeChannelMessage, encodePayload, entryToMessage } from './wire';

/** Options of {@link createRedisBroker}. */
export interface RedisBrokerOptions {
  /** Redis URL, ioredis options, or an ioredis client (which you then close yourself). */
  readonly redis: RedisInput;
  /** Prefix of every key and channel, so several apps can share one Redis. @default 'oxidite:' */
  readonly prefix?: string;
  /** Clock for message timestamps and age-based eviction, in ms since the Unix epoch. @default Date.now */
  readonly now?: () => number;
  /** How long an operation waits for a (re)connection before it rejects with `broker unavailable`, in ms. @default 2_000 */
  readonly connectTimeout?: number;
  /** How often this node refreshes its presence heartbeat, in ms; members of a node silent for 3× this vanish. @default 5_000 */
  readonly heartbeatInterval?: number;
  /** How long a topic's epoch and seq outlive its last publish or read, in ms (at least its `maxAge`). @default 86_400_000 */
  readonly topicTtl?: number;
  /**
   * Bounds of the window in which a repeated idempotency key is not published again, kept in
   * Redis per topic and shared by every node. @default { window: 120_000, maxKeys: 10_000 }
   */
  readonly dedupe?: DedupeOptions;
  /** Called with background failures (heartbeats, connection errors); never throws. @default a no-op */
  readonly onError?: (error: unknown) => void;
}

interface ScriptClient extends Redis {
  oxPublish(
    meta: string,
    stream: string,
    dedupe: string,
    dedupeOrder: string,
    ...args: (string | number | Buffer)[]
  ): Promise<[string, number, number, number]>;
  oxHistoryBuffer(
    meta: string,
    stream: string,
    ...args: (string | number)[]
  ): Promise<[Buffer, number, number, unknown[]]>;
}

/**
 * A {@link Broker} for many nodes on one Redis: a Lua script per publish (seq, stream entry and
 * PUBLISH in one step), a Redis Stream per topic for history, Pub/Sub for fan-out (one
 * subscription per topic per node on a dedicated connection) and a hash per topic for presence.
 */
export class RedisBroker implements Broker {
  readonly #client: ScriptClient;
  readonly #subscriber: Redis;
  readonly #isOwned: boolean;
  readonly #listeners = new Map<string, BrokerListener>();
  readonly #prefix: string;
  readonly #now: () => number;
  readonly #timeout: number;
  readonly #topicTtl: number;
  readonly #presence: PresenceStore;
  readonly #heartbeat: ReturnType<typeof setInterval>;
  readonly #onError: (error: unknown) => void;
  readonly #dedupe: Required<DedupeOptions>;

  constructor(options: RedisBrokerOptions) {
    const handle = openConnection(options.redis);
    this.#client = handle.client as ScriptClient;
    this.#isOwned = handle.isOwned;
    this.#prefix = options.prefix ?? 'oxidite:';
    this.#now = options.now ?? Date.now;
    this.#timeout = options.connectTimeout ?? 2_000;
    this.#topicTtl = options.topicTtl ?? 86_400_000;
    this.#onError = options.onError ?? (() => {});
    this.#dedupe = resolveDedupe(options.dedupe);
    this.#client.defineCommand('oxPublish', { numberOfKeys: 4, lua: PUBLISH_SCRIPT });
    this.#client.defineCommand('oxHistory', { numberOfKeys: 2, lua: HISTORY_SCRIPT });
    this.#subscriber = duplicateConnection(this.#client);
    // Without listeners ioredis reports connection errors itself; route them to the hook instead.
    if (this.#isOwned) this.#client.on('error', (error: unknown) => this.#onError(error));
    this.#subscriber.on('error', (error: unknown) => this.#onError(error));
    this.#subscriber.on('messageBuffer', (channel: Buffer, message: Buffer) => this.#deliver(channel, message));
    const interval = options.heartbeatInterval ?? 5_000;
    this.#presence = new PresenceStore({
      client: this.#client,
      prefix: this.#prefix,
      nodeId: createEpoch(),
      nodeTtl: interval * 3,
    });
    this.#heartbeat = setInterval(() => this.#presence.heartbeat().catch(this.#onError), interval);
    this.#heartbeat.unref?.();
  }

  #key(kind: 'topic' | 'stream' | 'ch' | 'dedupe' | 'dedupe-order', topic: string): string {
    return `${this.#prefix}${kind}:${topic}`;
  }

  publish(
    topic: string,
    payload: Payload,
    retention: Retention,
    options?: BrokerPublishOptions,
  ): Promise<PublishedMessage> {
    const { kind, data } = encodePayload(payload);
    const ts = this.#now();
    return run(this.#client, this.#timeout, async () => {
      const [epoch, seq, firstTs, isDuplicate] = await this.#client.oxPublish(
        this.#key('topic', topic),
        this.#key('stream', topic),
        this.#key('dedupe', topic),
        this.#key('dedupe-order', topic),
        createEpoch(),
        ts,
        Math.max(0, Math.floor(retention.size)),
        Math.max(0, Math.floor(retention.maxAge)),
        kind,
        data,
        this.#key('ch', topic),
        this.#topicTtl,
        options?.idempotencyKey ?? '',
        this.#dedupe.window,
        this.#dedupe.maxKeys,
      );
      const offset = { epoch: String(epoch), seq: Number(seq) };
      if (isDuplicate === 1) return { topic, offset, ts: Number(firstTs), payload, isDuplicate: true };
      return { topic, offset, ts, payload };
    });
  }

  subscribe(topic: string, listener: BrokerListener): Promise<void> {
    this.#listeners.set(topic, listener);
    return run(this.#subscriber, this.#timeout, async () => {
      await this.#subscriber.subscribe(this.#key('ch', topic));
    }).catch((error: unknown) => {
      if (this.#listeners.get(topic) === listener) this.#listeners.delete(topic);
      throw error;
    });
  }

  async unsubscribe(topic: string): Promise<void> {
    this.#listeners.delete(topic);
    // While Redis is down the UNSUBSCRIBE cannot be sent; a stray message afterwards finds no listener.
    if (this.#subscriber.status !== 'ready') return;
    await this.#subscriber.unsubscribe(this.#key('ch', topic)).catch(this.#onError);
  }

  history(topic: string, since: StreamOffset | undefined, limit: number): Promise<HistoryResult> {
    return run(this.#client, this.#timeout, async () => {
      const [epochRaw, seq, recovered, entries] = await this.#client.oxHistoryBuffer(
        this.#key('topic', topic),
        this.#key('stream', topic),
        createEpoch(),
        this.#now(),
        since ? 'since' : 'last',
        since?.epoch ?? '',
        since?.seq ?? 0,
        Math.max(0, Math.floor(limit)),
        this.#topicTtl,
      );
      const epoch = String(epochRaw);
      const messages: StreamMessage[] = [];
      for (const entry of entries) {
        const message = entryToMessage(topic, epoch, entry);
        if (message) messages.push(message);
      }
      return { messages, position: { epoch, seq: Number(seq) }, recovered: recovered === 1 };
    });
  }

  join(topic: string, member: Member): Promise<void> {
    return run(this.#client, this.#timeout, () => this.#presence.join(topic, member));
  }

  leave(topic: string, member: Member): Promise<void> {
    return run(this.#client, this.#timeout, () => this.#presence.leave(topic, member));
  }

  members(topic: string): Promise<Member[]> {
    return run(this.#client, this.#timeout, () => this.#presence.members(topic));
  }

  /** Quits the subscriber connection, and the command connection if this broker opened it. */
  async close(): Promise<void> {
    clearInterval(this.#heartbeat);
    this.#listeners.clear();
    await quit(this.#subscriber);
    if (this.#isOwned) await quit(this.#client);
  }

  #deliver(channel: Buffer, raw: Buffer): void {
    const name = channel.toString('utf8');
    const chPrefix = `${this.#prefix}ch:`;
    if (!name.startsWith(chPrefix)) return;
    const topic = name.slice(chPrefix.length);
    const listener = this.#listeners.get(topic);
    if (!listener) return;
    try {
      const event = decodeChannelMessage(topic, raw);
      if (event?.type === 'message') listener.onMessage(event.message);
      else if (event?.type === 'presence') listener.onPresence(event.change);
    } catch (error) {
      this.#onError(error);
    }
  }
}

/** QUIT when connected (graceful), else disconnect (stops reconnecting). */
async function quit(client: Redis): Promise<void> {
  if (client.status === 'ready') {
    await client.quit().catch(() => client.disconnect());
  } else {
    client.disconnect();
  }
}

/**
 * A broker whose topics live in Redis, for many nodes: each publish appends to the topic's stream
 * (its history) and reaches every node through pub/sub; presence is a hash per topic.
 */
export function createRedisBroker(options: RedisBrokerOptions): RedisBroker {
  return new RedisBroker(options);
}
