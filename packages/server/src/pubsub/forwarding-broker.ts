import type { Broker } from './broker';

/**
 * A broker that forwards every call to `broker`: the base of decorators that change one method
 * (tracing's listener, the inspector's publish count) without subclassing an implementation.
 */
export function forwardingBroker(broker: Broker): Broker {
  return {
    publish: (topic, payload, retention, options) => broker.publish(topic, payload, retention, options),
    subscribe: (topic, listener) => broker.subscribe(topic, listener),
    unsubscribe: (topic) => broker.unsubscribe(topic),
    history: (topic, since, limit) => broker.history(topic, since, limit),
    join: (topic, member) => broker.join(topic, member),
    leave: (topic, member) => broker.leave(topic, member),
    members: (topic) => broker.members(topic),
    close: () => broker.close(),
  };
}
