import { createClient, type RealtimeClient } from '@oxidite/client';
import type { MethodMap, TopicMap } from '@oxidite/protocol';
import { WebSocket } from 'ws';

/** A Node client of the test (not of a snippet): what checks that a snippet's server serves. */
export function nodeClient<T extends TopicMap, M extends MethodMap = MethodMap>(
  url: string,
  topics: T,
  options: { methods?: M; token?: () => string } = {},
): RealtimeClient<T, M> {
  return createClient({ url, topics, WebSocket, ...options });
}

/** Subscribes `client` to `topic`: `ready` once subscribed, `message` with the first message. */
export function subscribeOnce(
  client: RealtimeClient<TopicMap>,
  topic: string,
): { ready: Promise<void>; message: Promise<unknown> } {
  let resolve: (data: unknown) => void = () => {};
  const message = new Promise<unknown>((r) => {
    resolve = r;
  });
  // The test's topics are the snippet's, known only at run time: the typed overloads cannot apply.
  const subscribe = client.subscribe as (topic: string, handler: (data: unknown) => void) => { ready: Promise<void> };
  return { ready: subscribe.call(client, topic, resolve).ready, message };
}
