import type { ClientState, PublishResult, RealtimeClient, RequestOptions, TopicHandlers } from '@oxidite/client';
import type {
  Member,
  MethodInput,
  MethodMap,
  MethodOutput,
  PayloadOf,
  PublishInputOf,
  TopicMap,
  TopicName,
} from '@oxidite/protocol';
import type { ReactNode } from 'react';
import { type EventStreamHookOptions, type EventStreamView, useEventStream } from './event-stream-hook';
import { type NotificationsView, useNotifications } from './notifications-hook';
import { OxiditeProvider, type OxiditeProviderProps } from './provider';
import { useConnectionState, usePublish, useRpc } from './request-hooks';
import type { TopicView } from './topic-feed';
import { type SubscriptionHookOptions, usePresence, useSubscription } from './topic-hooks';

/** Nothing when the map declares the notification topic; otherwise a parameter no call can fill. */
type InboxUser<T extends TopicMap> = T extends { readonly 'notifications:{user}': unknown }
  ? string
  : { readonly 'the topic map must include notificationTopics': never };

/** The provider and hooks of one app, typed from its topic and method maps. */
export interface OxiditeHooks<T extends TopicMap, M extends MethodMap> {
  /** Makes the client (or a function creating it) available to the hooks below. */
  OxiditeProvider(props: OxiditeProviderProps<RealtimeClient<T, M>>): ReactNode;
  /**
   * Subscribes while mounted: every component using `topic` shares one server subscription, which
   * ends when the last one unmounts. Re-renders with each message.
   */
  useSubscription<K extends TopicName<T>>(
    topic: K,
    options?: SubscriptionHookOptions<PayloadOf<T, K>>,
  ): TopicView<PayloadOf<T, K>>;
  /** Who is subscribed to `topic` (a topic with presence), sharing the topic's subscription. */
  usePresence<K extends TopicName<T>>(topic: K): readonly Member[];
  /** The client's state: `connecting`, `open`, `reconnecting` or `closed`. */
  useConnectionState(): ClientState;
  /** A stable function that publishes on `topic` and resolves on the server's ack. */
  usePublish<K extends TopicName<T>>(
    topic: K,
  ): (data: PublishInputOf<T, K>, options?: RequestOptions) => Promise<PublishResult>;
  /** A stable function that calls `method` and resolves with its reply. */
  useRpc<K extends keyof M & string>(
    method: K,
  ): (data: MethodInput<M, K>, options?: RequestOptions) => Promise<MethodOutput<M, K>>;
  /** The live notification inbox of `userId` (the map must include `notificationTopics`), shared by its components. */
  useNotifications(userId: InboxUser<T>): NotificationsView;
  /** A typed SSE stream of the handlers' topics, shared by components asking for the same URL and topics. */
  useEventStream(url: string, handlers: TopicHandlers<T>, options?: EventStreamHookOptions): EventStreamView;
}

/** The maps the app shares with its server. */
export interface OxiditeMaps<T extends TopicMap, M extends MethodMap> {
  readonly topics: T;
  /** Types `useRpc`; the client checks replies only with the map it was created with. */
  readonly methods?: M;
}

/**
 * The provider and hooks for an app's topic map: every hook is typed from it, with nothing to
 * annotate where it is called. Create them once, in a module of their own.
 */
export function createOxiditeHooks<const T extends TopicMap, const M extends MethodMap = MethodMap>(
  maps: OxiditeMaps<T, M>,
): OxiditeHooks<T, M> {
  const hooks = {
    OxiditeProvider,
    useSubscription,
    usePresence,
    useConnectionState,
    usePublish,
    useRpc,
    useNotifications,
    useEventStream: (url: string, handlers: TopicHandlers<T>, options?: EventStreamHookOptions) =>
      useEventStream(maps.topics, url, handlers, options),
  };
  // The hooks work on any map; this is where the app's map types them.
  return hooks as unknown as OxiditeHooks<T, M>;
}
