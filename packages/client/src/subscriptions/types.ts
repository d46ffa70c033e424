import type { Member, RealtimeError } from '@oxidite/protocol';

/**
 * Where a subscription stands:
 * - `subscribing`: waiting for the server's `subscribed` (also while reconnecting);
 * - `subscribed`: live, messages arrive;
 * - `retrying`: the server failed the subscribe with a retryable error (`internal`,
 *   `rate_limited`, ...); it is sent again after a backoff delay, resuming from `offset`;
 * - `unsubscribed`: ended by `unsubscribe()`, by the server, or by `client.close()`;
 * - `failed`: the server refused it for good (e.g. `forbidden`, `unknown_topic`); see the `error` event.
 */
export type SubscriptionState = 'subscribing' | 'subscribed' | 'retrying' | 'unsubscribed' | 'failed';

/** A change of `subscription.state`, as emitted by its `state` event. */
export interface SubscriptionStateChange {
  readonly from: SubscriptionState;
  readonly to: SubscriptionState;
  /** What caused it, for `retrying` and `failed` (and for `unsubscribed` when the server or `close()` ended it). */
  readonly error?: RealtimeError | undefined;
}

/** The server confirmed a subscribe: the first one, or the resubscribe after a reconnect or a retry. */
export interface SubscribedInfo {
  /** The stream position the subscription continues from (after any replay). */
  readonly offset: string;
  /** True when it resumed from a previous offset (a resubscribe), false for the first subscribe. */
  readonly isResumed: boolean;
  /**
   * False when a resubscribe could not replay everything missed (a `reset` event follows);
   * always true for the first subscribe.
   */
  readonly recovered: boolean;
}

/** What a message handler learns besides the payload. */
export interface MessageMeta {
  readonly topic: string;
  /** The message's position in the topic's stream, `<epoch>:<seq>`. */
  readonly offset: string;
  /** Publish time, ms since the Unix epoch. */
  readonly ts: number;
}

/** Members who joined or left a topic with presence, and everyone there now. */
export interface PresenceChange {
  readonly joins: readonly Member[];
  readonly leaves: readonly Member[];
  readonly members: readonly Member[];
}

/** The server could not replay what was missed: history no longer covers it. */
export interface ResetInfo {
  /** The stream position the subscription continues from. */
  readonly offset: string;
}

/** Events of a {@link Subscription}. */
export type SubscriptionEvents = {
  /** Every change of `subscription.state`, with the error that caused it, if any. */
  state: [change: SubscriptionStateChange];
  /** The server confirmed the subscription: on the first subscribe and after every resubscribe. */
  subscribed: [info: SubscribedInfo];
  /** Members joined or left (topics with presence only). */
  presence: [change: PresenceChange];
  /** Messages were missed and cannot be recovered: reload the state this topic feeds. */
  reset: [info: ResetInfo];
  /** The server refused the subscription for good, or a received payload failed validation. */
  error: [error: RealtimeError];
};

/** Options of `client.subscribe`. */
export interface SubscribeOptions {
  /** On the first subscribe, first deliver up to this many recent messages (e.g. chat history). @default 0 */
  readonly rewind?: number | undefined;
}

/** A subscription to one topic, kept across reconnects until `unsubscribe()`. */
export interface Subscription {
  readonly topic: string;
  readonly state: SubscriptionState;
  /** Resolves when the server first confirms the subscription; rejects if it fails or ends first. */
  readonly ready: Promise<void>;
  /** Everyone subscribed to the topic (topics with presence; empty otherwise). */
  readonly members: readonly Member[];
  /** The offset of the last message seen; a resubscribe resumes after it. */
  readonly offset: string | undefined;
  /** Stops the subscription. Idempotent. */
  unsubscribe(): void;
  /** Adds a listener; returns the function that removes it. */
  on<E extends keyof SubscriptionEvents>(event: E, listener: (...args: SubscriptionEvents[E]) => void): () => void;
}
