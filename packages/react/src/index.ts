/**
 * @oxidite/react — React hooks for the Oxidite Realtime client, typed from the app's topic map.
 * Built on `useSyncExternalStore`; one server subscription per topic however many components use
 * it; StrictMode-safe; server rendering opens no socket.
 *
 * @example
 * import { createClient } from '@oxidite/client';
 * import { createOxiditeHooks } from '@oxidite/react';
 * import { topics } from './shared/topics'; // the map the server uses too
 *
 * export const { OxiditeProvider, useSubscription, usePublish } = createOxiditeHooks({ topics });
 * // <OxiditeProvider client={() => createClient({ url: '/ws', topics })}>…</OxiditeProvider>
 * function Chat() {
 *   const { messages } = useSubscription('chat:lobby');
 *   const send = usePublish('chat:lobby'); // send({ text: 'hi' }) resolves on the ack
 * }
 *
 * @module
 */

// Hooks
export { createOxiditeHooks } from './create-hooks';
export type { OxiditeHooks, OxiditeMaps } from './create-hooks';
export type { OxiditeProviderProps } from './provider';
export { useNotifications } from './notifications-hook';
export { useEventStream } from './event-stream-hook';

// What the hooks return
export type { Received, TopicView } from './topic-feed';
export type { SubscriptionHookOptions } from './topic-hooks';
export type { NotificationsView } from './notifications-hook';
export type { EventStreamHookOptions, EventStreamView } from './event-stream-hook';
