import { defineMethods, defineTopics, notificationMethods, notificationTopics } from '@oxidite/protocol';
import * as z from 'zod';
import {
  createNotificationService,
  createRealtimeServer,
  type NotificationService,
  type NotificationServiceOptions,
  type NotificationStore,
} from '../../src/index';
import { RawClient } from '../support/raw-client';

export const topics = defineTopics({ chat: z.object({ text: z.string() }), ...notificationTopics });
export const methods = defineMethods({ ...notificationMethods });

/** A server on 127.0.0.1:0 whose principal is the `x-user` header, with a notification service. */
export interface NotificationTestServer extends AsyncDisposable {
  readonly service: NotificationService;
  readonly url: string;
  readonly httpUrl: string;
  /** Connects a raw WebSocket client as `user` (anonymous without one). */
  connect(user?: string): Promise<RawClient>;
  /** Calls an RPC method and resolves with the `reply` data, or rejects with the `error` envelope. */
  call(client: RawClient, method: string, data?: unknown): Promise<unknown>;
  close(): Promise<void>;
}

export async function startNotificationServer(
  store: NotificationStore,
  options: { anonymous?: boolean } & Partial<NotificationServiceOptions> = {},
): Promise<NotificationTestServer> {
  const rt = createRealtimeServer({
    topics,
    methods,
    ...(options.anonymous
      ? {}
      : { auth: ({ req }) => (typeof req.headers['x-user'] === 'string' ? { id: req.headers['x-user'] } : null) }),
  });
  const service = createNotificationService({ store, realtime: rt, ...options });
  const { port } = await rt.listen(0);
  const clients: RawClient[] = [];
  const close = async () => {
    await Promise.all(clients.map((client) => (client.ws.readyState <= 1 ? client.close() : undefined)));
    await rt.close();
  };
  return {
    service,
    url: `ws://127.0.0.1:${port}/ws`,
    httpUrl: `http://127.0.0.1:${port}`,
    async connect(user) {
      const client = await RawClient.connect(`ws://127.0.0.1:${port}/ws`, { headers: user ? { 'x-user': user } : {} });
      clients.push(client);
      return client;
    },
    async call(client, method, data = {}) {
      const id = client.id();
      client.send({ type: 'rpc', id, method, data });
      const answer = await client.waitFor(
        (e): e is Extract<typeof e, { type: 'reply' | 'error' }> =>
          (e.type === 'reply' || e.type === 'error') && e.id === id,
      );
      if (answer.type === 'error') throw Object.assign(new Error(answer.message), { code: answer.code });
      return answer.data;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** The notification events received so far on `topic`. */
export function eventsOf(client: RawClient, topic: string): unknown[] {
  return client.messages(topic).map((message) => message.data);
}
