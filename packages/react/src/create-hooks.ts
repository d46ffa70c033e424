import type { ClientState, PublishOptions, PublishResult, RealtimeClient, RequestOptions } from '@oxidite/client';
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
import type { ReactElement } from 'react';
import { OxiditeProvider, type OxiditeProviderProps } from './provider';
import { useConnectionState, usePublish, useRpc } from './request-hooks';
import type { TopicView } from './topic-feed';
import { type SubscriptionHookOptions, usePresence, useSubscription } from './topic-hooks';

/** The provider and hooks of one app, typed from its topic and method maps. */
export interface OxiditeHooks<T extends TopicMap, M extends MethodMap> {
  /** Makes the client (or a function creating it) available to the hooks below. */
  OxiditeProvider(props: OxiditeProviderProps<RealtimeClient<T, M>>): ReactElement;
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
  ): (data: PublishInputOf<T, K>, options?: PublishOptions) => Promise<PublishResult>;
  /** A stable function that calls `method` and resolves with its reply. */
  useRpc<K extends keyof M & string>(
    method: K,
  ): (data: MethodInput<M, K>, options?: RequestOptions) => Promise<MethodOutput<M, K>>;
}

/** The maps the app shares with its server. */
export interface OxiditeMaps<T extends TopicMap, M extends MethodMap> {
  /** Types the topic hooks (only its type is used). */
  readonly topics: T;
  /** Types `useRpc`; the client checks replies only with the map it was created with. */
  readonly methods?: M | undefined;
}

/**
 * The provider and hooks for an app's topic map: every hook is typed from it, with nothing to
 * annotate where it is called. Create them once, in a module of their own.
 */
export function createOxiditeHooks<const T extends TopicMap, const M extends MethodMap = MethodMap>(
  _maps: OxiditeMaps<T, M>,
): OxiditeHooks<T, M> {
  const hooks = {
    OxiditeProvider,
    useSubscription,
    usePresence,
    useConnectionState,
    usePublish,
    useRpc,
  };
  // The hooks work on any map; this is where the app's map types them. `useNotifications` and
  // `useEventStream` are separate exports, typed by their arguments, so that an app that does not
  // use them does not bundle the inbox and the SSE client.
  return hooks as unknown as OxiditeHooks<T, M>;
}
