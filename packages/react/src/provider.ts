import type { RealtimeClient } from '@oxidite/client';
import { ErrorCode, type MethodMap, RealtimeError, type TopicMap } from '@oxidite/protocol';
import {
  createContext,
  createElement,
  type ReactElement,
  type ReactNode,
  useContext,
  useEffect,
  useState,
} from 'react';
import { SharedResources } from './shared-resources';

/** The client as the hooks see it inside: the typed facade (`createOxiditeHooks`) checks call sites. */
export type AnyClient = RealtimeClient<TopicMap, MethodMap>;

/** Props of the provider; see `createOxiditeHooks`. */
export interface OxiditeProviderProps<C> {
  /**
   * The client, or a function that creates it. A function is called on first use in the browser,
   * never while rendering, so server rendering opens no socket; the provider then also closes that
   * client when it unmounts. A client passed as is stays the app's to close. Read once: to change
   * it, remount the provider (`key`). One provider per client: the client allows one subscription
   * per topic, so a second provider on the same client shows its topics as `failed`.
   */
  readonly client: C | (() => C);
  /** How many recent messages `useSubscription` keeps per topic. @default 100 */
  readonly messageLimit?: number | undefined;
  /** The components that use the hooks. */
  readonly children?: ReactNode | undefined;
}

/** What the hooks share below one provider. */
export interface RealtimeStore {
  /** The client, created on first use when the provider was given a function. */
  client(): AnyClient;
  /** The client if it exists; snapshots read this so that rendering never creates one. */
  peek(): AnyClient | undefined;
  /** Closes the client if the provider created it. */
  dispose(): void;
  readonly resources: SharedResources;
  readonly messageLimit: number;
}

const StoreContext = createContext<RealtimeStore | null>(null);

function createStore(props: OxiditeProviderProps<AnyClient>): RealtimeStore {
  const { client: given, messageLimit = 100 } = props;
  const isOwned = typeof given === 'function';
  let client = isOwned ? undefined : given;
  return {
    client: () => {
      client ??= (given as () => AnyClient)();
      return client;
    },
    peek: () => client,
    dispose: () => {
      if (!isOwned) return;
      client?.close();
      // A provider hidden and shown again (<Activity>) runs its effects again: it gets a new client.
      client = undefined;
    },
    resources: new SharedResources(),
    messageLimit,
  };
}

/** Provides the client to the hooks below it. */
// `ReactElement`, not `ReactNode`: @types/react 18 before 18.2.8 accepts only elements from components.
export function OxiditeProvider(props: OxiditeProviderProps<AnyClient>): ReactElement {
  const [store] = useState(() => createStore(props));
  useEffect(() => {
    // Held through SharedResources so that StrictMode's remount does not close the client.
    const [, release] = store.resources.acquire('client', () => ({ value: store, dispose: store.dispose }));
    return release;
  }, [store]);
  return createElement(StoreContext.Provider, { value: store }, props.children);
}

/** The store of the nearest provider. */
export function useStore(): RealtimeStore {
  const store = useContext(StoreContext);
  if (!store) throw new RealtimeError(ErrorCode.INVALID, 'an Oxidite hook was used outside <OxiditeProvider>');
  return store;
}
