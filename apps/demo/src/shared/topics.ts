/**
 * The topic and method maps of the demo, shared by the server and the page: one declaration types
 * and validates both ends. zod/mini keeps the browser bundle small (see TOOLCHAIN.md).
 */
import {
  analyticsTopics,
  defineMethods,
  defineTopics,
  notificationMethods,
  notificationTopics,
} from '@oxidite/protocol';
import * as z from 'zod/mini';

/** Bounds of a chat message, checked at the server's edge and before the page sends. */
export const ChatLimit = {
  /** Longest message text, in characters. */
  MAX_TEXT_LENGTH: 500,
  /** Longest display name, in characters. */
  MAX_NAME_LENGTH: 40,
  /** Messages kept per room, and replayed to a page that joins. */
  HISTORY_SIZE: 200,
  /** How long a room keeps a message, in ms (the SDK's default is 5 minutes; a chat wants more). */
  HISTORY_MAX_AGE: 24 * 60 * 60 * 1000,
} as const;

/** The rooms the page offers. Any `chat:{room}` works on the wire; the page lists these. */
export const ROOMS = ['lobby', 'random'] as const;

/** A chat message: the text and its author's display name (checked against the token by the server). */
export const ChatMessageSchema = z.object({
  text: z.string().check(z.minLength(1), z.maxLength(ChatLimit.MAX_TEXT_LENGTH)),
  author: z.string().check(z.minLength(1), z.maxLength(ChatLimit.MAX_NAME_LENGTH)),
});

/** A chat message. */
export type ChatMessage = z.infer<typeof ChatMessageSchema>;

/** Every topic of the demo: chat rooms with presence and history, notifications, live metrics. */
export const topics = defineTopics({
  'chat:{room}': {
    schema: ChatMessageSchema,
    presence: true,
    history: { size: ChatLimit.HISTORY_SIZE, maxAge: ChatLimit.HISTORY_MAX_AGE },
  },
  ...notificationTopics,
  ...analyticsTopics,
});

/** The RPC methods of the demo: the notification inbox. */
export const methods = defineMethods({ ...notificationMethods });

/** The demo's topic map. */
export type DemoTopics = typeof topics;
/** The demo's method map. */
export type DemoMethods = typeof methods;
