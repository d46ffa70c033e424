import type { MessageMeta, ResetInfo } from '@oxidite/client';
import type { Member } from '@oxidite/protocol';
import { useCallback, useSyncExternalStore } from 'react';
import { useStore } from './provider';
import { INITIAL_TOPIC, openTopic, type TopicFeed, type TopicView } from './topic-feed';
import { useLatest } from './use-latest';

/** Options of `useSubscription`. */
export interface SubscriptionHookOptions<D> {
  /** Called with every message that arrives while the component is mounted; may change on every render. */
  readonly onMessage?: ((data: D, meta: MessageMeta) => void) | undefined;
  /**
   * Messages were missed and the server's history could not replay them (a long disconnect, a
   * server restarted on the memory broker): `messages` has a gap; reload what this topic feeds.
   */
  readonly onReset?: ((info: ResetInfo) => void) | undefined;
  /**
   * On the topic's first subscribe, deliver up to this many recent messages first. Only the first
   * component to subscribe to the topic decides. @default 0
   */
  readonly rewind?: number | undefined;
}

/** Shares the topic's one subscription and reads a part of its view that React compares by identity. */
function useTopic<R>(
  topic: string,
  select: (view: TopicView<unknown>) => R,
  options: SubscriptionHookOptions<unknown> = {},
): R {
  const store = useStore();
  const onMessage = useLatest(options.onMessage);
  const onReset = useLatest(options.onReset);
  const rewind = useLatest(options.rewind);
  const key = `topic:${topic}`;
  const subscribe = useCallback(
    (onChange: () => void) => {
      const [feed, release] = store.resources.acquire(key, () => openTopic(store, topic, rewind.current));
      const stop = feed.listen(onChange, (event) =>
        event.type === 'message' ? onMessage.current?.(event.data, event.meta) : onReset.current?.(event.info),
      );
      return () => {
        stop();
        release();
      };
    },
    [store, key, topic, rewind, onMessage, onReset],
  );
  return useSyncExternalStore(
    subscribe,
    () => select(store.resources.peek<TopicFeed>(key)?.snapshot ?? INITIAL_TOPIC),
    () => select(INITIAL_TOPIC),
  );
}

const whole = <V>(view: V): V => view;
const members = (view: TopicView<unknown>): readonly Member[] => view.members;

/** Untyped `useSubscription`; `createOxiditeHooks` types it from the topic map. */
export function useSubscription(topic: string, options?: SubscriptionHookOptions<unknown>): TopicView<unknown> {
  return useTopic(topic, whole, options);
}

/** Untyped `usePresence`: re-renders only when the members change, not on every message. */
export function usePresence(topic: string): readonly Member[] {
  return useTopic(topic, members);
}
