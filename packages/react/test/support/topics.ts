import { defineMethods, defineTopics, notificationMethods, notificationTopics } from '@oxidite/protocol';
import * as z from 'zod/mini';
import { createOxiditeHooks } from '../../src/index';

/** The test app's maps, shared by the server and the client as an app's would be. */
export const topics = defineTopics({
  'chat:{room}': { schema: z.object({ text: z.string() }), presence: true },
  prices: z.object({ symbol: z.string(), price: z.number() }),
  ...notificationTopics,
});
export const methods = defineMethods({
  'math.double': { input: z.object({ n: z.number() }), output: z.object({ n: z.number() }) },
  ...notificationMethods,
});
export type Topics = typeof topics;
export type Methods = typeof methods;

/** The app's hooks module. */
export const { OxiditeProvider, useSubscription, usePresence, useConnectionState, usePublish, useRpc } =
  createOxiditeHooks({ topics, methods });
