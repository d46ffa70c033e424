import { type ClientState, createEventStream, type EventStreamOptions, type MessageMeta } from '@oxidite/client';
import type { RealtimeError, TopicMap } from '@oxidite/protocol';
import { useCallback, useSyncExternalStore } from 'react';
import { Feed } from './feed';
import { useStore } from './provider';
import type { Resource } from './shared-resources';
import { useLatest } from './use-latest';

/** What `useEventStream` returns. */
export interface EventStreamView {
  /** `connecting` until every topic is confirmed (and during server rendering), then `open`, `reconnecting`, `closed`. */
  readonly state: ClientState;
  /** The last failure the stream reported (it retries by itself unless `state` is `closed`). */
  readonly error: RealtimeError | undefined;
}

/**
 * Options of `useEventStream`: those of `createEventStream` less the callbacks (the hook returns the
 * state and the last error). All but `handlers` are read when the stream opens; `handlers` may
 * change on every render, and its keys are the stream's topics.
 */
export type EventStreamHookOptions<T extends TopicMap> = Omit<
  EventStreamOptions<T>,
  'onState' | 'onError' | 'onReset' | 'onSubscribed'
>;

type StreamFeed = Feed<EventStreamView, [topic: string, data: unknown, meta: MessageMeta]>;
type Handlers = Readonly<Record<string, ((data: never, meta: MessageMeta) => void) | undefined>>;

const CONNECTING: EventStreamView = { state: 'connecting', error: undefined };

function openStream(
  url: string,
  names: readonly string[],
  options: EventStreamHookOptions<TopicMap>,
): Resource<StreamFeed> {
  const feed: StreamFeed = new Feed<EventStreamView, [string, unknown, MessageMeta]>(CONNECTING);
  const handlers = Object.fromEntries(
    names.map((name) => [name, (data: unknown, meta: MessageMeta) => feed.emit(name, data, meta)]),
  );
  const stream = createEventStream(url, {
    ...options,
    handlers,
    onState: ({ to }) => feed.set({ ...feed.snapshot, state: to }),
    onError: (error) => feed.set({ ...feed.snapshot, error }),
  });
  return { value: feed, dispose: () => stream.close() };
}

/**
 * A typed SSE stream (`createEventStream`) while mounted: components asking for the same URL and
 * topics share one stream, closed when the last one unmounts. Typed from `options.topics`.
 *
 * @example
 * const { state } = useEventStream('/events', { topics, handlers: { prices: (p) => setPrice(p.price) } });
 */
export function useEventStream<const T extends TopicMap>(
  url: string,
  options: EventStreamHookOptions<T>,
): EventStreamView {
  const store = useStore();
  const latest = useLatest(options.handlers as Handlers);
  const initialOptions = useLatest(options as EventStreamHookOptions<TopicMap>);
  const names = Object.keys(options.handlers).sort();
  const key = `sse:${url}\n${names.join('\n')}`;
  const subscribe = useCallback(
    (onChange: () => void) => {
      const [feed, release] = store.resources.acquire(key, () =>
        openStream(url, key.split('\n').slice(1), initialOptions.current),
      );
      const stop = feed.listen(onChange, (topic, data, meta) => latest.current[topic]?.(data as never, meta));
      return () => {
        stop();
        release();
      };
    },
    [store, url, key, latest, initialOptions],
  );
  return useSyncExternalStore(
    subscribe,
    () => store.resources.peek<StreamFeed>(key)?.snapshot ?? CONNECTING,
    () => CONNECTING,
  );
}
