import type { ResolvedTopic, StandardSchemaV1 } from '@oxidite/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Connection, type Subscription } from '../../src/hub/connection';
import type { OutboundMessage } from '../../src/hub/outbound-message';
import type { Peer } from '../../src/hub/peer';
import { TopicGroups } from '../../src/hub/topic-groups';
import { MemoryBroker } from '../../src/pubsub';
import { InboundLimit } from '../../src/security';

const schema: StandardSchemaV1 = { '~standard': { version: 1, vendor: 'test', validate: (value) => ({ value }) } };
const RETENTION = { size: 100, maxAge: 60_000 };

/** A live subscriber whose peer records the seq of every message it gets, in order. */
function subscriber(id: string, latencyBudget: number) {
  const seqs: number[] = [];
  const peer: Peer = {
    transport: 'websocket',
    isOpen: true,
    queuedBytes: 0,
    deliver: (message: OutboundMessage) => seqs.push(message.message.offset.seq),
    send: () => {},
    close: () => {},
    pauseReading: () => {},
    resumeReading: () => {},
    terminate: () => {},
    whenWritable: () => Promise.resolve(),
  };
  const connection = new Connection({
    id,
    peer,
    principal: null,
    remoteAddress: '127.0.0.1',
    origin: undefined,
    now: 0,
    inbound: new InboundLimit(false, 20),
  });
  const resolved: ResolvedTopic = { pattern: 'feed', schema, options: { schema, latencyBudget }, params: {} };
  const subscription: Subscription = {
    topic: 'feed',
    resolved,
    pending: undefined,
    parkedPresence: undefined,
    member: undefined,
  };
  return { connection, subscription, seqs };
}

describe('per-topic latency budget (fake clock: the budget is a scheduler)', () => {
  let broker: MemoryBroker;
  beforeEach(() => {
    vi.useFakeTimers();
    broker = new MemoryBroker();
  });
  afterEach(async () => {
    await broker.close();
    vi.useRealTimers();
  });

  const publish = (n: number) => broker.publishSync('feed', { json: String(n) }, RETENTION);

  it('holds messages for the budget, then delivers them together, in order', async () => {
    const groups = new TopicGroups(broker, 100);
    const a = subscriber('a', 20);
    await groups.add(a.connection, a.subscription);
    publish(1);
    publish(2);
    vi.advanceTimersByTime(19);
    expect(a.seqs).toEqual([]);
    publish(3);
    vi.advanceTimersByTime(1);
    expect(a.seqs).toEqual([1, 2, 3]);
    publish(4);
    vi.advanceTimersByTime(20);
    expect(a.seqs).toEqual([1, 2, 3, 4]);
  });

  it('a subscriber that joins while messages are held never gets them; the others get them first', async () => {
    const groups = new TopicGroups(broker, 100);
    const a = subscriber('a', 20);
    const b = subscriber('b', 20);
    await groups.add(a.connection, a.subscription);
    publish(1);
    await groups.add(b.connection, b.subscription);
    expect(a.seqs).toEqual([1]);
    publish(2);
    vi.advanceTimersByTime(20);
    expect(a.seqs).toEqual([1, 2]);
    expect(b.seqs).toEqual([2]);
  });

  it('a topic without a budget delivers each message at once; the last unsubscribe drops what is held', async () => {
    const groups = new TopicGroups(broker, 100);
    const now = subscriber('now', 0);
    await groups.add(now.connection, now.subscription);
    publish(1);
    expect(now.seqs).toEqual([1]);
    groups.remove(now.connection, 'feed');
    await vi.advanceTimersByTimeAsync(1); // the broker unsubscribe runs, the group goes
    const held = subscriber('held', 1_000_000); // capped at 1 s
    await groups.add(held.connection, held.subscription);
    publish(2);
    vi.advanceTimersByTime(1_000);
    expect(held.seqs).toEqual([2]);
    const timers = vi.getTimerCount();
    publish(3);
    expect(vi.getTimerCount()).toBe(timers + 1);
    groups.remove(held.connection, 'feed');
    await vi.advanceTimersByTimeAsync(1);
    expect(vi.getTimerCount()).toBe(timers);
    expect(held.seqs).toEqual([2]);
  });
});
