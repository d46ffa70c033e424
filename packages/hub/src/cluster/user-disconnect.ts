import type { Broker, DisconnectOptions, Logger, RealtimeServer } from '@oxidite/server';
import type { TopicMap } from '@oxidite/protocol';
import * as z from 'zod';

/**
 * The broker topic that carries disconnect orders to every node. `$` is outside the topic alphabet,
 * so no declared topic or pattern can match it: clients can neither read nor publish it, and the
 * HTTP API cannot publish to it.
 */
export const DISCONNECT_TOPIC = '$oxidite-hub:disconnect';

const OrderSchema = z.object({
  user: z.string().min(1).max(256),
  code: z.union([z.literal(4401), z.literal(4403)]),
  reason: z.string().max(123).optional(),
});

/** Disconnects a user on every node of the hub (one node, or all nodes sharing a Redis). */
export interface UserDisconnect {
  /** Announces the order; each node (this one included) closes the user's connections when it arrives. */
  disconnect(user: string, options: Required<Pick<DisconnectOptions, 'code'>> & DisconnectOptions): Promise<void>;
}

/** Subscribes this node to disconnect orders, through the broker every node shares. */
export async function createUserDisconnect(
  broker: Broker,
  rt: Pick<RealtimeServer<TopicMap>, 'disconnect'>,
  logger: Logger,
): Promise<UserDisconnect> {
  await broker.subscribe(DISCONNECT_TOPIC, {
    onMessage(message) {
      const parsed =
        message.payload.json === undefined ? undefined : OrderSchema.safeParse(JSON.parse(message.payload.json));
      if (!parsed?.success) return void logger.warn('hub: ignored a malformed disconnect order');
      const { user, code, reason } = parsed.data;
      const closed = rt.disconnect(user, { code, ...(reason === undefined ? {} : { reason }) });
      logger.info('hub: disconnected a user', { user, code, closed });
    },
    onPresence() {},
  });
  return {
    async disconnect(user, options) {
      // Not kept in history: an order is for the connections open now, not for a node that starts later.
      await broker.publish(DISCONNECT_TOPIC, { json: JSON.stringify({ user, ...options }) }, { size: 0, maxAge: 0 });
    },
  };
}
