import { formatOffset } from '@oxidite/protocol';
import { type Broker, type BrokerListener, forwardingBroker, type StreamMessage } from '../pubsub';
import type { Tracing } from './tracing';

/**
 * The broker as a tracing server sees it: each traced message a node's topic listener receives
 * gets an `rt.deliver` span around the fan-out. Applied only when telemetry is on, so without it
 * the fan-out runs exactly as before: no wrapper, no check, nothing per subscriber.
 */
export function traceBroker(broker: Broker, tracing: Tracing): Broker {
  return {
    ...forwardingBroker(broker),
    subscribe: (topic, listener) => broker.subscribe(topic, tracedListener(listener, tracing)),
  };
}

function tracedListener(listener: BrokerListener, tracing: Tracing): BrokerListener {
  return {
    onMessage(message: StreamMessage): void {
      // One check per message: an untraced one (a publisher without tracing) goes straight through.
      if (message.traceparent === undefined) {
        listener.onMessage(message);
        return;
      }
      const end = tracing.deliver(message.topic, formatOffset(message.offset), message.traceparent);
      try {
        listener.onMessage(message);
      } finally {
        end();
      }
    },
    onPresence: (change) => listener.onPresence(change),
    ...(listener.onGap ? { onGap: (topic: string) => listener.onGap?.(topic) } : {}),
  };
}
