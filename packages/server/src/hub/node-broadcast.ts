import type { Broker } from '../pubsub';
import { createSessionId } from './hub';

/**
 * The broker topic that carries `rt.broadcast` to the other nodes of a deployment. `$` is outside
 * the topic alphabet, so no declared topic or pattern can match it: clients can neither read nor
 * publish it.
 */
export const BROADCAST_TOPIC = '$oxidite:broadcast';

/** `rt.broadcast` across nodes: this node delivers at once, and the others when the broker brings it. */
export interface NodeBroadcast {
  /** Settles once this node receives the others' broadcasts (or the broker refused: reported to `onError`). */
  readonly ready: Promise<void>;
  /** Hands `data` to the other nodes (fire and forget: a failure goes to `onError`). */
  forward(data: unknown): void;
  /** Stops receiving the other nodes' broadcasts. */
  stop(): Promise<void>;
}

/**
 * Subscribes this node to the broadcasts of the others through the broker they share. Each carries
 * its origin, so a node never delivers its own twice. Not kept in history: a broadcast is for the
 * connections open now, not for a node that starts later.
 */
export function startNodeBroadcast(
  broker: Broker,
  deliver: (data: unknown) => void,
  onError: (error: unknown) => void,
): NodeBroadcast {
  const origin = createSessionId();
  const subscribed = broker
    .subscribe(BROADCAST_TOPIC, {
      onMessage(message) {
        try {
          const received = JSON.parse(message.payload.json ?? 'null') as { origin?: unknown; data?: unknown } | null;
          if (received && received.origin !== origin) deliver(received.data);
        } catch (error) {
          onError(error);
        }
      },
      onPresence() {},
    })
    .then(
      () => true,
      (error: unknown) => {
        onError(error);
        return false;
      },
    );
  return {
    ready: subscribed.then(() => {}),
    forward(data) {
      const json = JSON.stringify({ origin, data: data === undefined ? null : data });
      broker.publish(BROADCAST_TOPIC, { json }, { size: 0, maxAge: 0 }).catch(onError);
    },
    async stop() {
      if (await subscribed) await broker.unsubscribe(BROADCAST_TOPIC).catch(onError);
    },
  };
}
