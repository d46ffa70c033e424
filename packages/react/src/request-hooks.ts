import type { ClientState, PublishOptions, PublishResult, RequestOptions } from '@oxidite/client';
import { useCallback, useSyncExternalStore } from 'react';
import { useStore } from './provider';

/** Untyped `useConnectionState`: `connecting` until the client exists (and during server rendering). */
export function useConnectionState(): ClientState {
  const store = useStore();
  const subscribe = useCallback((onChange: () => void) => store.client().on('state', onChange), [store]);
  return useSyncExternalStore(
    subscribe,
    () => store.peek()?.state ?? 'connecting',
    () => 'connecting',
  );
}

/** Untyped `usePublish`: a stable function that resolves on the server's ack. */
export function usePublish(topic: string): (data: unknown, options?: PublishOptions) => Promise<PublishResult> {
  const store = useStore();
  return useCallback((data, options) => store.client().publish(topic, data as never, options), [store, topic]);
}

/** Untyped `useRpc`: a stable function that resolves with the reply. */
export function useRpc(method: string): (data: unknown, options?: RequestOptions) => Promise<unknown> {
  const store = useStore();
  return useCallback((data, options) => store.client().rpc(method, data as never, options), [store, method]);
}
