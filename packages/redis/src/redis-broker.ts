import { createEpoch, type Member, parseTraceparent, type StreamOffset } from '@oxidite/protocol';
import {
  type Broker,
  type BrokerListener,
  type BrokerPublishOptions,
  type DedupeOptions,
  type HistoryResult,
  type Payload,
  type PublishedMessage,
  type ResolvedDedupe,
  type Retention,
  resolveDedupe,
  type StreamMessage,
} from '@oxidite/server';
import { Cluster } from 'ioredis';
import { HISTORY_SCRIPT, PUBLISH_SCRIPT } from './broker-scripts';
import { type RedisClient, type RedisInput, openConnection, quit, run } from './connection';
import { type TopicKeyKind, topicKey } from './keys';
import { PresenceStore } from './presence-store';
import { TopicSubscriber } from './topic-subscriber';
import { encodePayload, entryToMessage } from './wire';

/** Options of {@link createRedisBroker}. */
export interface RedisBrokerOptions {
  /** Redis URL, ioredis options, a Redis Cluster's nodes, or an ioredis `Redis` or `Cluster` (which you then close yourself). */
  readonly redis: RedisInput;
  /**
   * Sharded Pub/Sub (`SPUBLISH`/`SSUBSCRIBE`, Redis 7+): on a cluster a message reaches only the
   * shard that owns its topic instead of every node. Plain `PUBLISH` works on Redis 6 too.
   * @default true on a cluster, false on one Redis
   */
  readonly shardedPubSub?: boolean | undefined;
  /** Prefix of every key and channel, so several apps can share one Redis. @default 'oxidite:' */
  readonly prefix?: string | undefined;
  /** Clock for message timestamps and age-based eviction, in ms since the Unix epoch. @default Date.now */
  readonly now?: (() => number) | undefined;
  /** How long an operation waits for a (re)connection before it rejects with `broker unavailable`, in ms. @default 2_000 */
  readonly connectTimeout?: number | undefined;
  /**
   * How often this node refreshes its presence heartbeat and sweeps the presence of the topics it
   * serves, in ms. Members of a node silent for 3× this are removed, and announced as leaves,
   * within 4× this (by the sweep of any node serving the topic). @default 5_000
   */
  readonly heartbeatInterval?: number | undefined;
  /** How long a topic's epoch and seq outlive its last publish or read, in ms (at least its `maxAge`). @default 86_400_000 */
  readonly topicTtl?: number | undefined;
  /**
   * Bounds of the window in which a repeated idempotency key is not published again, kept in
   * Redis per topic and shared by every node. @default { window: 120_000, maxKeys: 10_000 }
   */
  readonly dedupe?: DedupeOptions | undefined;
  /** Called with background failures (heartbeats, connection errors); never throws. @default a no-op */
  readonly onError?: ((error: unknown) => void) | undefined;
}

type ScriptClient = RedisClient & {
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
};

/**
 * A {@link Broker} for many nodes on one Redis or a Redis Cluster: a Lua script per publish (seq,
 * stream entry and (S)PUBLISH in one step), a Redis Stream per topic for history, Pub/Sub for
 * fan-out (one subscription per topic per node on a dedicated connection) and a hash per topic
 * for presence. Pub/Sub loses what is published while a subscriber connection is down: the
 * {@link TopicSubscriber}'s feeds read such gaps back from the stream.
 */
export class RedisBroker implements Broker {
  readonly #client: ScriptClient;
  readonly #subscriber: TopicSubscriber;
  readonly #isOwned: boolean;
  readonly #isSharded: boolean;
  readonly #prefix: string;
  readonly #now: () => number;
  readonly #timeout: number;
  readonly #topicTtl: number;
  readonly #presence: PresenceStore;
  readonly #heartbeat: ReturnType<typeof setInterval>;
  readonly #onError: (error: unknown) => void;
  readonly #dedupe: ResolvedDedupe;

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
    this.#isSharded = options.shardedPubSub ?? this.#client instanceof Cluster;
    // Without listeners ioredis reports connection errors itself; route them to the hook instead.
    if (this.#isOwned) this.#client.on('error', (error: unknown) => this.#onError(error));
    this.#subscriber = new TopicSubscriber({
      client: this.#client,
      prefix: this.#prefix,
      isSharded: this.#isSharded,
      timeout: this.#timeout,
      read: (topic, since) => this.history(topic, since, 0),
      onPresence: (change) => this.#presence.track(change.topic),
      onError: this.#onError,
    });
    const interval = options.heartbeatInterval ?? 5_000;
    this.#presence = new PresenceStore({
      client: this.#client,
      prefix: this.#prefix,
      nodeId: createEpoch(),
      nodeTtl: interval * 3,
      publish: (channel, message) => this.#publishCommand(this.#client, channel, message),
    });
    this.#heartbeat = setInterval(() => this.#presence.tick().catch(this.#onError), interval);
    this.#heartbeat.unref?.();
  }

  #key(kind: TopicKeyKind, topic: string): string {
    return topicKey(this.#prefix, kind, topic);
  }

  #publishCommand(client: RedisClient, channel: string, message: string): Promise<unknown> {
    return this.#isSharded ? client.spublish(channel, message) : client.publish(channel, message);
  }

  /** One `HGET` of the dedupe hash; a key older than the window counts as unknown (the script would drop it). */
  firstPublish(topic: string, idempotencyKey: string): Promise<StreamOffset | undefined> {
    return run(this.#client, this.#timeout, async () => {
      const first = await this.#client.hget(this.#key('dedupe', topic), idempotencyKey);
      const match = first === null ? null : /^(\S+) (\d+) (\d+)$/.exec(first);
      if (!match || Number(match[3]) < this.#now() - this.#dedupe.window) return undefined;
      return { epoch: match[1]!, seq: Number(match[2]) };
    });
  }

  publish(
    topic: string,
    payload: Payload,
    retention: Retention,
    options?: BrokerPublishOptions,
  ): Promise<PublishedMessage> {
    const { kind, data } = encodePayload(payload);
    const ts = this.#now();
    // Only a well-formed value goes into the channel record, whose fields are newline-separated.
    const traceparent = parseTraceparent(options?.traceparent) ? options?.traceparent : undefined;
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
        this.#isSharded ? 'SPUBLISH' : 'PUBLISH',
        traceparent ?? '',
      );
      const offset = { epoch: String(epoch), seq: Number(seq) };
      if (isDuplicate === 1) return { topic, offset, ts: Number(firstTs), payload, isDuplicate: true };
      return traceparent === undefined ? { topic, offset, ts, payload } : { topic, offset, ts, payload, traceparent };
    });
  }

  /** Resolves once the subscription is live and this node knows the topic's position. */
  subscribe(topic: string, listener: BrokerListener): Promise<void> {
    return this.#subscriber.subscribe(topic, listener);
  }

  unsubscribe(topic: string): Promise<void> {
    this.#presence.untrack(topic);
    return this.#subscriber.unsubscribe(topic);
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
    this.#presence.track(topic);
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
    await this.#subscriber.close();
    if (this.#isOwned) await quit(this.#client);
  }
}

/**
 * A broker whose topics live in Redis, for many nodes: each publish appends to the topic's stream
 * (its history) and reaches every node through pub/sub; presence is a hash per topic.
 */
export function createRedisBroker(options: RedisBrokerOptions): RedisBroker {
  return new RedisBroker(options);
}
