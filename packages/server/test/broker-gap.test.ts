import { withDeadline } from '@oxidite/test-utils';
import { describe, expect, it } from 'vitest';
import { type Broker, type BrokerListener, createMemoryBroker } from '../src/index';
import { useTestResources } from './support/clients';
import { RawClient } from './support/raw-client';
import { startTestServer } from './support/test-server';

const t = useTestResources();

/** A memory broker that hands out the hub's listeners, so a test can play a broker that lost messages. */
function brokerWithListeners(): { broker: Broker; listeners: Map<string, BrokerListener> } {
  const inner = createMemoryBroker();
  const listeners = new Map<string, BrokerListener>();
  const broker: Broker = {
    publish: (topic, payload, retention) => inner.publish(topic, payload, retention),
    subscribe: (topic, listener) => {
      listeners.set(topic, listener);
      return inner.subscribe(topic, listener);
    },
    unsubscribe: (topic) => inner.unsubscribe(topic),
    history: (topic, since, limit) => inner.history(topic, since, limit),
    join: (topic, member) => inner.join(topic, member),
    leave: (topic, member) => inner.leave(topic, member),
    members: (topic) => inner.members(topic),
    close: () => inner.close(),
  };
  return { broker, listeners };
}

describe('a broker that reports a gap (BrokerListener.onGap, #21)', () => {
  it("closes the topic's subscribers on this node with 1013, and only them", async () => {
    const { broker, listeners } = brokerWithListeners();
    const server = t.track(await startTestServer({ broker }));
    const onRoom = t.adopt(await RawClient.connect(server.url));
    const elsewhere = t.adopt(await RawClient.connect(server.url));
    await onRoom.subscribe('room:1');
    await elsewhere.subscribe('room:2');
    listeners.get('room:1')?.onGap?.('room:1');
    expect(await withDeadline(onRoom.closed, 5_000, 'the close')).toEqual({ code: 1013, reason: 'missed messages' });
    await server.rt.publish('room:2', { n: 1 });
    expect((await elsewhere.next('message')).data).toEqual({ n: 1 });
  });
});
