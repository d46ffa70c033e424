import type { StreamOffset } from '@oxidite/protocol';
import type { BrokerListener, HistoryResult, PresenceChange } from '@oxidite/server';
import { Cluster } from 'ioredis';
import { bounded, type RedisClient, duplicateConnection, quit, run } from './connection';
import { channelTopic, topicKey } from './keys';
import { TopicFeed } from './topic-feed';
import { decodeChannelMessage } from './wire';

/** What a {@link TopicSubscriber} needs from its broker. */
export interface TopicSubscriberOptions {
  /** The broker's command connection; the subscriber opens its own connection beside it. */
  readonly client: RedisClient;
  readonly prefix: string;
  /** SSUBSCRIBE (sharded Pub/Sub) instead of SUBSCRIBE. */
  readonly isSharded: boolean;
  readonly timeout: number;
  /** The broker's history read, with which feeds fill gaps. */
  readonly read: (topic: string, since: StreamOffset | undefined) => Promise<HistoryResult>;
  /** Sees every presence change that arrives (the broker's presence sweep tracks those topics). */
  readonly onPresence: (change: PresenceChange) => void;
  readonly onError: (error: unknown) => void;
}

/**
 * The node's side of Pub/Sub: one dedicated subscriber connection (on a cluster, ioredis keeps
 * one per master), one channel subscription and one {@link TopicFeed} per topic this node serves.
 */
export class TopicSubscriber {
  readonly #options: TopicSubscriberOptions;
  readonly #connection: RedisClient;
  readonly #feeds = new Map<string, TopicFeed>();
  /** A catch-up that failed while the command connection was down runs again as soon as it is up. */
  readonly #onCommandReady = (): void => {
    for (const feed of this.#feeds.values()) feed.retryNow();
  };

  constructor(options: TopicSubscriberOptions) {
    this.#options = options;
    this.#connection = duplicateConnection(options.client, options.isSharded);
    this.#connection.on('error', (error: unknown) => options.onError(error));
    const deliver = (channel: Buffer, message: Buffer): void => this.#deliver(channel, message);
    this.#connection.on(options.isSharded ? 'smessageBuffer' : 'messageBuffer', deliver);
    // A subscriber connection that comes back has missed what was published meanwhile. A
    // cluster's sharded subscribers (one per master) report a new set after a failover.
    const isShardedCluster = this.#connection instanceof Cluster && options.isSharded;
    this.#connection.on(isShardedCluster ? 'subscribersReady' : 'ready', () => void this.#resync());
    options.client.on('ready', this.#onCommandReady);
  }

  /** Resolves once the subscription is live and the feed knows the topic's position. */
  subscribe(topic: string, listener: BrokerListener): Promise<void> {
    this.#feeds.get(topic)?.close();
    const feed = new TopicFeed({
      topic,
      listener,
      read: (since) => this.#options.read(topic, since),
      onError: this.#options.onError,
      retryDelay: this.#options.timeout,
    });
    this.#feeds.set(topic, feed);
    // Subscribed first, position read second: nothing published in between is missed.
    return this.#subscribeChannel(topic)
      .then(() => feed.catchUp())
      .catch((error: unknown) => {
        feed.close();
        if (this.#feeds.get(topic) === feed) this.#feeds.delete(topic);
        throw error;
      });
  }

  async unsubscribe(topic: string): Promise<void> {
    this.#feeds.get(topic)?.close();
    this.#feeds.delete(topic);
    // While Redis is down the UNSUBSCRIBE cannot be sent; a stray message afterwards finds no feed.
    if (this.#connection.status !== 'ready') return;
    const channel = topicKey(this.#options.prefix, 'ch', topic);
    const done = this.#options.isSharded
      ? this.#connection.sunsubscribe(channel)
      : this.#connection.unsubscribe(channel);
    await bounded(done, this.#options.timeout).catch(this.#options.onError);
  }

  async close(): Promise<void> {
    this.#options.client.off('ready', this.#onCommandReady);
    for (const feed of this.#feeds.values()) feed.close();
    this.#feeds.clear();
    await quit(this.#connection);
  }

  #subscribeChannel(topic: string): Promise<unknown> {
    const channel = topicKey(this.#options.prefix, 'ch', topic);
    return run(this.#connection, this.#options.timeout, () =>
      bounded(
        this.#options.isSharded ? this.#connection.ssubscribe(channel) : this.#connection.subscribe(channel),
        this.#options.timeout,
      ),
    );
  }

  /**
   * After the subscriber connection came back: subscribes every topic again (a no-op for Redis
   * when ioredis already did; awaiting it proves the subscription is in effect), then each feed
   * reads what it missed.
   */
  async #resync(): Promise<void> {
    for (const [topic, feed] of this.#feeds) {
      await this.#subscribeChannel(topic).catch(this.#options.onError);
      feed.catchUp().catch(this.#options.onError);
    }
  }

  #deliver(channel: Buffer, raw: Buffer): void {
    const topic = channelTopic(this.#options.prefix, channel.toString('utf8'));
    const feed = topic === undefined ? undefined : this.#feeds.get(topic);
    if (!feed || topic === undefined) return;
    try {
      const event = decodeChannelMessage(topic, raw);
      if (event?.type === 'message') feed.push(event.message);
      else if (event?.type === 'presence') {
        this.#options.onPresence(event.change);
        feed.listener.onPresence(event.change);
      }
    } catch (error) {
      this.#options.onError(error);
    }
  }
}
