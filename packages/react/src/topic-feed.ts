import type { MessageMeta, ResetInfo, Subscription, SubscriptionState } from '@oxidite/client';
import type { Member, RealtimeError } from '@oxidite/protocol';
import { asRealtimeError } from './errors';
import { Feed } from './feed';
import type { RealtimeStore } from './provider';
import type { Resource } from './shared-resources';

/** One received message. */
export interface Received<D> {
  /** The payload, typed by the topic map. */
  readonly data: D;
  /** Its topic, offset (unique in the topic: a good React `key`) and publish time. */
  readonly meta: MessageMeta;
}

/** What `useSubscription` returns: the topic as this client sees it now. */
export interface TopicView<D> {
  /** The latest message's payload, once one arrived. */
  readonly latest: D | undefined;
  /** Recent messages, oldest first, at most the provider's `messageLimit`. */
  readonly messages: readonly Received<D>[];
  /** Everyone subscribed to the topic (topics with presence; empty otherwise). */
  readonly members: readonly Member[];
  /** The subscription's state; `subscribing` during server rendering and before the first answer. */
  readonly state: SubscriptionState;
  /** Why it is `retrying` or `failed`. */
  readonly error: RealtimeError | undefined;
}

/** What a topic tells the components using it, besides its view: a message, or a lost gap. */
export type TopicEvent =
  | { readonly type: 'message'; readonly data: unknown; readonly meta: MessageMeta }
  | { readonly type: 'reset'; readonly info: ResetInfo };

export type TopicFeed = Feed<TopicView<unknown>, [event: TopicEvent]>;

/** The view before the server answered, and during server rendering. */
export const INITIAL_TOPIC: TopicView<never> = {
  latest: undefined,
  messages: [],
  members: [],
  state: 'subscribing',
  error: undefined,
};

/** The one client subscription to `topic` that every component using it shares. */
export function openTopic(store: RealtimeStore, topic: string, rewind: number | undefined): Resource<TopicFeed> {
  const feed: TopicFeed = new Feed<TopicView<unknown>, [TopicEvent]>(INITIAL_TOPIC);
  const update = (patch: Partial<TopicView<unknown>>) => feed.set({ ...feed.snapshot, ...patch });
  let subscription: Subscription | undefined;
  try {
    subscription = store.client().subscribe(
      topic,
      (data, meta) => {
        const messages = [...feed.snapshot.messages, { data, meta }];
        if (messages.length > store.messageLimit) messages.splice(0, messages.length - store.messageLimit);
        update({ latest: data, messages });
        feed.emit({ type: 'message', data, meta });
      },
      rewind === undefined ? {} : { rewind },
    );
    subscription.on('state', ({ to, error }) => update({ state: to, error }));
    subscription.on('presence', ({ members }) => update({ members }));
    subscription.on('reset', (info) => feed.emit({ type: 'reset', info }));
  } catch (error) {
    // An unknown topic, or one the app already subscribed to without the hooks: shown, not thrown.
    update({ state: 'failed', error: asRealtimeError(error, 'subscribe') });
  }
  return { value: feed, dispose: () => subscription?.unsubscribe() };
}
