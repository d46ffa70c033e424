import type { Broker, Retention } from '@oxidite/server';
import { afterEach, describe, expect, it } from 'vitest';
import { Collector, text } from './support/collector';

/** What a broker implementation provides to the contract suite. */
export interface BrokerContractSetup {
  /** A new broker (one node) whose clock is {@link BrokerContractSetup.now}. */
  create(): Broker | Promise<Broker>;
  /** Moves the shared injected clock forward. */
  advance(ms: number): void;
  /** Whether two brokers from `create()` are two nodes of one deployment (they share state). */
  readonly isMultiNode: boolean;
}

const KEEP: Retention = { size: 100, maxAge: 60_000 };
let topicCounter = 0;
const freshTopic = (): string => `contract:${process.pid}:${Date.now()}:${++topicCounter}`;
const json = (value: unknown) => ({ json: JSON.stringify(value) });

/**
 * The shared contract of every {@link Broker}: offsets, fan-out order, history and recovery
 * (including eviction by size and by age), presence, and, for multi-node brokers, fan-out and
 * shared state across nodes.
 */
export function brokerContract(name: string, setup: () => BrokerContractSetup): void {
  describe(`${name}: broker contract`, () => {
    const open: Broker[] = [];
    let context: BrokerContractSetup;
    const node = async (): Promise<Broker> => {
      const broker = await context.create();
      open.push(broker);
      return broker;
    };

    afterEach(async () => {
      await Promise.all(open.splice(0).map((broker) => broker.close()));
    });

    it('assigns consecutive seqs in one epoch and delivers in order', async () => {
      context = setup();
      const broker = await node();
      const topic = freshTopic();
      const seen = new Collector();
      await broker.subscribe(topic, seen);
      const sent = [];
      for (let i = 1; i <= 20; i++) sent.push(await broker.publish(topic, json({ i }), KEEP));
      expect(sent.map((m) => m.offset.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(new Set(sent.map((m) => m.offset.epoch)).size).toBe(1);
      await seen.messageCount(20);
      expect(seen.messages.map((m) => m.offset)).toEqual(sent.map((m) => m.offset));
      expect(seen.messages.map(text)).toEqual(sent.map((m) => m.payload.json));
    });

    it('round-trips JSON text and binary payloads, through fan-out and history', async () => {
      context = setup();
      const broker = await node();
      const topic = freshTopic();
      const seen = new Collector();
      await broker.subscribe(topic, seen);
      const bytes = new Uint8Array([0, 10, 13, 255, 112, 10, 0]);
      await broker.publish(topic, { json: '{"text":"héllo\\n✓"}' }, KEEP);
      await broker.publish(topic, { bytes }, KEEP);
      await seen.messageCount(2);
      const history = await broker.history(topic, undefined, 10);
      for (const messages of [seen.messages, history.messages]) {
        expect(messages[0]?.payload).toEqual({ json: '{"text":"héllo\\n✓"}' });
        expect(messages[1]?.payload.bytes).toEqual(bytes);
      }
    });

    it('carries a traceparent to listeners and into history, for JSON and binary payloads alike', async () => {
      context = setup();
      const broker = await node();
      const topic = freshTopic();
      const seen = new Collector();
      await broker.subscribe(topic, seen);
      const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
      await broker.publish(topic, json({ traced: true }), KEEP, { traceparent });
      await broker.publish(topic, { bytes: new Uint8Array([10, 10, 0]) }, KEEP, { traceparent });
      await broker.publish(topic, json({ traced: false }), KEEP);
      await seen.messageCount(3);
      const history = await broker.history(topic, undefined, 10);
      for (const messages of [seen.messages, history.messages]) {
        expect(messages.map((m) => m.traceparent)).toEqual([traceparent, traceparent, undefined]);
        expect(messages[0]?.payload).toEqual(json({ traced: true }));
        expect(messages[1]?.payload.bytes).toEqual(new Uint8Array([10, 10, 0]));
      }
    });

    it('reads the last `limit` messages without `since`', async () => {
      context = setup();
      const broker = await node();
      const topic = freshTopic();
      for (let i = 1; i <= 5; i++) await broker.publish(topic, json({ i }), KEEP);
      const result = await broker.history(topic, undefined, 3);
      expect(result.messages.map((m) => m.offset.seq)).toEqual([3, 4, 5]);
      expect(result.position.seq).toBe(5);
      expect(result.recovered).toBe(true);
      expect((await broker.history(topic, undefined, 0)).messages).toEqual([]);
    });

    it('recovers exactly the messages after `since`; another epoch gets the current one from its first message', async () => {
      context = setup();
      const broker = await node();
      const topic = freshTopic();
      const first = await broker.publish(topic, json({ i: 1 }), KEEP);
      for (let i = 2; i <= 4; i++) await broker.publish(topic, json({ i }), KEEP);
      const { epoch } = first.offset;
      const after1 = await broker.history(topic, { epoch, seq: 1 }, Number.MAX_SAFE_INTEGER);
      expect(after1.recovered).toBe(true);
      expect(after1.messages.map(text)).toEqual(['{"i":2}', '{"i":3}', '{"i":4}']);
      expect(after1.position).toEqual({ epoch, seq: 4 });
      expect(await broker.history(topic, { epoch, seq: 4 }, 10)).toMatchObject({ messages: [], recovered: true });
      expect(await broker.history(topic, { epoch, seq: 9 }, 10)).toMatchObject({ messages: [], recovered: false });
      const other = await broker.history(topic, { epoch: 'elsewhere', seq: 1 }, Number.MAX_SAFE_INTEGER);
      expect(other).toMatchObject({ recovered: false, position: { epoch, seq: 4 } });
      expect(other.messages.map((m) => m.offset)).toEqual([1, 2, 3, 4].map((seq) => ({ epoch, seq })));
    });

    it('gives an unknown topic a position that stays valid once messages arrive', async () => {
      context = setup();
      const broker = await node();
      const topic = freshTopic();
      const empty = await broker.history(topic, undefined, 10);
      expect(empty).toMatchObject({ messages: [], recovered: true, position: { seq: 0 } });
      await broker.publish(topic, json({ i: 1 }), KEEP);
      const since = await broker.history(topic, empty.position, 10);
      expect(since.recovered).toBe(true);
      expect(since.messages.map((m) => m.offset)).toEqual([{ epoch: empty.position.epoch, seq: 1 }]);
    });

    it('reports recovered: false once the gap was evicted by size', async () => {
      context = setup();
      const broker = await node();
      const topic = freshTopic();
      let epoch = '';
      for (let i = 1; i <= 6; i++)
        epoch = (await broker.publish(topic, json({ i }), { size: 3, maxAge: 60_000 })).offset.epoch;
      expect(await broker.history(topic, { epoch, seq: 2 }, 10)).toMatchObject({ recovered: false, messages: [] });
      const kept = await broker.history(topic, { epoch, seq: 3 }, 10);
      expect(kept.recovered).toBe(true);
      expect(kept.messages.map((m) => m.offset.seq)).toEqual([4, 5, 6]);
      expect((await broker.history(topic, undefined, 10)).messages.map((m) => m.offset.seq)).toEqual([4, 5, 6]);
    });

    it('reports recovered: false once the gap was evicted by age', async () => {
      context = setup();
      const broker = await node();
      const topic = freshTopic();
      const retention = { size: 100, maxAge: 1_000 };
      const { epoch } = (await broker.publish(topic, json({ i: 1 }), retention)).offset;
      await broker.publish(topic, json({ i: 2 }), retention);
      context.advance(600);
      await broker.publish(topic, json({ i: 3 }), retention);
      context.advance(500); // 1 and 2 are now 1.1 s old, 3 is 0.5 s old
      expect(await broker.history(topic, { epoch, seq: 1 }, 10)).toMatchObject({ recovered: false, messages: [] });
      const recent = await broker.history(topic, { epoch, seq: 2 }, 10);
      expect(recent.recovered).toBe(true);
      expect(recent.messages.map((m) => m.offset.seq)).toEqual([3]);
      expect((await broker.history(topic, undefined, 10)).messages.map((m) => m.offset.seq)).toEqual([3]);
    });

    it('keeps no history with size 0 but still counts offsets', async () => {
      context = setup();
      const broker = await node();
      const topic = freshTopic();
      const none = { size: 0, maxAge: 60_000 };
      const a = await broker.publish(topic, json({ i: 1 }), none);
      const b = await broker.publish(topic, json({ i: 2 }), none);
      expect(b.offset).toEqual({ epoch: a.offset.epoch, seq: 2 });
      expect(await broker.history(topic, a.offset, 10)).toMatchObject({ recovered: false, messages: [] });
      expect(await broker.history(topic, b.offset, 10)).toMatchObject({ recovered: true, messages: [] });
    });

    it('stops delivering after unsubscribe', async () => {
      context = setup();
      const broker = await node();
      const [gone, marker] = [freshTopic(), freshTopic()];
      const seenGone = new Collector();
      const seenMarker = new Collector();
      await broker.subscribe(gone, seenGone);
      await broker.subscribe(marker, seenMarker);
      await broker.unsubscribe(gone);
      await broker.publish(gone, json({ late: true }), KEEP);
      await broker.publish(marker, json({ marker: true }), KEEP);
      await seenMarker.messageCount(1); // fan-out is ordered: the earlier publish would be here by now
      expect(seenGone.messages).toEqual([]);
    });

    it('keeps presence per user: connections of one user are one member, joined once, left with the last', async () => {
      context = setup();
      const broker = await node();
      const topic = freshTopic();
      const seen = new Collector();
      await broker.subscribe(topic, seen);
      const tab = { client: 'c1', user: 'ann' };
      const stream = { client: 'c2', user: 'ann' };
      const guest = { client: 'c3' };
      await broker.join(topic, tab);
      await broker.join(topic, stream);
      await broker.join(topic, guest);
      expect((await broker.members(topic)).map((m) => m.user ?? m.client).sort()).toEqual(['ann', 'c3']);
      await broker.leave(topic, tab);
      expect((await broker.members(topic)).map((m) => m.user ?? m.client).sort()).toEqual(['ann', 'c3']);
      await broker.leave(topic, stream);
      expect(await broker.members(topic)).toEqual([guest]);
      await seen.until(() => seen.presence.length >= 3, '3 presence changes');
      expect(
        seen.presence.map((p) => [p.joins.map((m) => m.user ?? m.client), p.leaves.map((m) => m.user ?? m.client)]),
      ).toEqual([
        [['ann'], []],
        [['c3'], []],
        [[], ['ann']],
      ]);
    });

    it('tracks presence: join, leave, members, announcements', async () => {
      context = setup();
      const broker = await node();
      const topic = freshTopic();
      const seen = new Collector();
      await broker.subscribe(topic, seen);
      const ann = { client: 'c1', user: 'ann', info: { name: 'Ann' } };
      const bob = { client: 'c2' };
      await broker.join(topic, ann);
      await broker.join(topic, bob);
      expect((await broker.members(topic)).sort((x, y) => x.client.localeCompare(y.client))).toEqual([ann, bob]);
      await broker.leave(topic, ann);
      await broker.leave(topic, ann); // unknown now: no second announcement
      expect(await broker.members(topic)).toEqual([bob]);
      await seen.until(() => seen.presence.length >= 3, '3 presence changes');
      expect(seen.presence).toEqual([
        { topic, joins: [ann], leaves: [] },
        { topic, joins: [bob], leaves: [] },
        { topic, joins: [], leaves: [ann] },
      ]);
    });

    describe.runIf(setup().isMultiNode)('across nodes', () => {
      it('delivers a publish on node A to the listener on node B, in order', async () => {
        context = setup();
        const [a, b] = [await node(), await node()];
        const topic = freshTopic();
        const seenB = new Collector();
        await b.subscribe(topic, seenB);
        const sent = [];
        for (let i = 1; i <= 10; i++) sent.push(await a.publish(topic, json({ i }), KEEP));
        await seenB.messageCount(10);
        expect(seenB.messages.map((m) => m.offset)).toEqual(sent.map((m) => m.offset));
      });

      it('carries a traceparent from the publishing node to the listener on another node', async () => {
        context = setup();
        const [a, b] = [await node(), await node()];
        const topic = freshTopic();
        const seen = new Collector();
        await b.subscribe(topic, seen);
        const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
        await a.publish(topic, json({ n: 1 }), KEEP, { traceparent });
        await seen.messageCount(1);
        expect(seen.messages[0]?.traceparent).toBe(traceparent);
      });

      it('shares one stream: offsets continue across nodes and history is the same everywhere', async () => {
        context = setup();
        const [a, b] = [await node(), await node()];
        const topic = freshTopic();
        const first = await a.publish(topic, json({ i: 1 }), KEEP);
        const second = await b.publish(topic, json({ i: 2 }), KEEP);
        expect(second.offset).toEqual({ epoch: first.offset.epoch, seq: 2 });
        const fromB = await b.history(topic, first.offset, 10);
        expect(fromB.messages.map(text)).toEqual(['{"i":2}']);
        expect((await a.history(topic, undefined, 10)).messages.map(text)).toEqual(['{"i":1}', '{"i":2}']);
      });

      it('shares presence across nodes', async () => {
        context = setup();
        const [a, b] = [await node(), await node()];
        const topic = freshTopic();
        const seenB = new Collector();
        await b.subscribe(topic, seenB);
        await a.join(topic, { client: 'on-a' });
        expect(await b.members(topic)).toEqual([{ client: 'on-a' }]);
        await seenB.until(() => seenB.presence.length === 1, 'join on B');
        await a.leave(topic, { client: 'on-a' });
        expect(await b.members(topic)).toEqual([]);
      });
    });
  });
}
