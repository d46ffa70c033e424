import type { Member, StreamOffset } from '@oxidite/protocol';

/**
 * A message payload as it travels through a broker: JSON text (serialized once, at publish) or
 * raw bytes. Brokers never parse it, so the hub can splice it into frames without re-encoding.
 */
export type Payload =
  | { readonly json: string; readonly bytes?: undefined }
  | { readonly bytes: Uint8Array; readonly json?: undefined };

/** One message of a topic's stream. */
export interface StreamMessage {
  readonly topic: string;
  readonly offset: StreamOffset;
  /** Publish time, ms since the Unix epoch. */
  readonly ts: number;
  readonly payload: Payload;
  /**
   * The W3C `traceparent` of the span that published it, when the publishing server traces
   * (PROTOCOL.md §4.7): a broker carries it to every node, so their `rt.deliver` spans join the
   * publish's trace. Absent otherwise.
   */
  readonly traceparent?: string | undefined;
}

/** Options of one {@link Broker.publish}. */
export interface BrokerPublishOptions {
  /**
   * Makes the publish idempotent (issue #20): while the broker's dedupe window remembers the key
   * on this topic, a publish with the same key is not appended again and resolves with the first
   * one's offset and time, `isDuplicate: true`. The caller namespaces keys (the hub keeps client
   * message ids and server idempotency keys apart). @default none: every publish is a new message
   */
  readonly idempotencyKey?: string | undefined;
  /** Carried with the message to every node's listeners (see {@link StreamMessage.traceparent}). @default none */
  readonly traceparent?: string | undefined;
}

/** What a publish resolves with: the message as appended, or the first one for a repeated key. */
export interface PublishedMessage extends StreamMessage {
  /** True when an earlier publish with the same idempotency key is still in the window: nothing was appended. */
  readonly isDuplicate?: boolean | undefined;
}

/** Presence changes of one topic. */
export interface PresenceChange {
  readonly topic: string;
  readonly joins: readonly Member[];
  readonly leaves: readonly Member[];
}

/** What a node-level topic subscription receives. */
export interface BrokerListener {
  onMessage(message: StreamMessage): void;
  onPresence(change: PresenceChange): void;
  /**
   * Called when this node missed messages of the topic that the broker can no longer deliver
   * (its connection was down past the topic's retention, or the topic's stream restarted in a new
   * epoch). Nothing after the gap is delivered before this call. Optional: a broker that cannot
   * lose messages (the memory broker) never calls it.
   */
  onGap?(topic: string): void;
}

/** Retention of a topic's history; the hub resolves it from the topic map. */
export interface Retention {
  /** Messages kept; 0 keeps none. */
  readonly size: number;
  /** Maximum age in ms. */
  readonly maxAge: number;
}

/** The answer to a history read. */
export interface HistoryResult {
  /**
   * Messages after `since`, oldest first. When `since` is of another epoch (the stream restarted),
   * the current epoch's retained messages from its first, with `recovered: false`; when the gap
   * was evicted or `since` is in the future, none.
   */
  readonly messages: readonly StreamMessage[];
  /** The topic's current position (the last published offset). */
  readonly position: StreamOffset;
  /** Whether `messages` is everything published after `since` (same epoch, nothing evicted). */
  readonly recovered: boolean;
}

/**
 * The pub/sub backbone behind the hub: one implementation per deployment shape.
 * `MemoryBroker` serves one process; `@oxidite/redis` serves many.
 *
 * Contract (checked by the shared broker contract suite):
 * - `publish` assigns the next offset of the topic's stream and delivers the message to every
 *   node-level listener of the topic, on every node, in offset order.
 * - `publish` with an `idempotencyKey` still remembered by the dedupe window appends nothing and
 *   resolves with the first publish's offset, on every node: the check and the append are atomic.
 * - `subscribe` is per node and per topic (the hub multiplexes its connections on top).
 * - `history(topic, since)` returns every message after `since` if it is all still retained and
 *   `since` is of the current epoch. For `since` of another epoch it returns the current epoch's
 *   retained history from its first message with `recovered: false` (what the restarted stream
 *   published is not lost); for an evicted gap or a future `since`, `recovered: false` and none.
 */
export interface Broker {
  /** Appends to the topic's stream and fans out; resolves with the assigned offset (see {@link BrokerPublishOptions}). */
  publish(
    topic: string,
    payload: Payload,
    retention: Retention,
    options?: BrokerPublishOptions,
  ): Promise<PublishedMessage>;
  /**
   * The offset an idempotency key's first publish got, if the key is still in the topic's dedupe
   * window; nothing is published. The hub asks before refusing a keyed publish (a rate limit), so a
   * resend of a message that was published is acknowledged rather than refused. Optional: without
   * it such a resend is refused like any publish.
   */
  firstPublish?(topic: string, idempotencyKey: string): Promise<StreamOffset | undefined>;
  /** Starts delivering the topic's messages and presence changes to `listener` (one per topic per node). */
  subscribe(topic: string, listener: BrokerListener): Promise<void>;
  /** Stops delivering the topic to this node. */
  unsubscribe(topic: string): Promise<void>;
  /** Messages after `since` (see {@link HistoryResult}); with `since` undefined, the last `limit`. */
  history(topic: string, since: StreamOffset | undefined, limit: number): Promise<HistoryResult>;
  /**
   * Records a connection's member on a topic. Presence is per user (`presenceKey`): the join is
   * announced only for the user's first connection on the topic, across nodes.
   */
  join(topic: string, member: Member): Promise<void>;
  /** Removes a connection's member (by its `client` id); the leave is announced with the user's last connection. */
  leave(topic: string, member: Member): Promise<void>;
  /** Current members of a topic, across nodes: one per user (per connection when anonymous). */
  members(topic: string): Promise<Member[]>;
  /** Releases resources. */
  close(): Promise<void>;
}
