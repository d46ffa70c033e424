import type { Broker, DedupeOptions, Retention } from '@oxidite/server';
import { afterEach, describe, expect, it } from 'vitest';
import { Collector, text } from './support/collector';

/** What a broker implementation provides to the dedupe contract suite. */
export interface DedupeContractSetup {
  /** A new broker (one node) with these dedupe bounds, on the shared injected clock. */
  create(dedupe?: DedupeOptions): Broker | Promise<Broker>;
  /** Moves the shared injected clock forward. */
  advance(ms: number): void;
  /** Whether two brokers from `create()` are two nodes of one deployment (they share state). */
  readonly isMultiNode: boolean;
}

const KEEP: Retention = { size: 100, maxAge: 600_000 };
let topicCounter = 0;
const freshTopic = (): string => `dedupe:${process.pid}:${Date.now()}:${++topicCounter}`;
const json = (value: unknown) => ({ json: JSON.stringify(value) });
const key = (idempotencyKey: string) => ({ idempotencyKey });

/**
 * The idempotent publish of every {@link Broker} (issue #20): a key repeated within the dedupe
 * window appends nothing and resolves with the first offset, on every node; the window is bounded
 * in time and in keys per topic.
 */
export function brokerDedupeContract(name: string, setup: () => DedupeContractSetup): void {
  describe(`${name}: dedupe contract`, () => {
    const open: Broker[] = [];
    let context: DedupeContractSetup;
    const node = async (dedupe?: DedupeOptions): Promise<Broker> => {
      const broker = await context.create(dedupe);
      open.push(broker);
      return broker;
    };

    afterEach(async () => {
      await Promise.all(open.splice(0).map((broker) => broker.close()));
    });

    it('publishes a repeated key once and answers the repeat with the first offset', async () => {
      context = setup();
      const broker = await node();
      const topic = freshTopic();
      const seen = new Collector();
      await broker.subscribe(topic, seen);
      const first = await broker.publish(topic, json({ n: 1 }), KEEP, key('a'));
      const repeat = await broker.publish(topic, json({ n: 1 }), KEEP, key('a'));
      const other = await broker.publish(topic, json({ n: 2 }), KEEP, key('b'));
      const plain = await broker.publish(topic, json({ n: 3 }), KEEP);
      expect(first.isDuplicate).toBeFalsy();
      expect(repeat).toMatchObject({ offset: first.offset, ts: first.ts, isDuplicate: true });
      expect([other.offset.seq, plain.offset.seq]).toEqual([2, 3]);
      await seen.messageCount(3);
      expect(seen.messages.map(text)).toEqual(['{"n":1}', '{"n":2}', '{"n":3}']);
      const history = await broker.history(topic, undefined, 10);
      expect(history.messages.map(text)).toEqual(['{"n":1}', '{"n":2}', '{"n":3}']);
    });

    it('answers where a key was first published, without publishing, and forgets it with the window', async () => {
      context = setup();
      const broker = await node({ window: 1_000 });
      const topic = freshTopic();
      expect(await broker.firstPublish?.(topic, 'k')).toBeUndefined();
      const first = await broker.publish(topic, json({ n: 1 }), KEEP, key('k'));
      expect(await broker.firstPublish?.(topic, 'k')).toEqual(first.offset);
      expect(await broker.firstPublish?.(topic, 'other')).toBeUndefined();
      expect((await broker.history(topic, undefined, 10)).messages).toHaveLength(1);
      context.advance(1_001);
      expect(await broker.firstPublish?.(topic, 'k')).toBeUndefined();
    });

    it('keeps keys per topic', async () => {
      context = setup();
      const broker = await node();
      const [t1, t2] = [freshTopic(), freshTopic()];
      await broker.publish(t1, json(1), KEEP, key('same'));
      const elsewhere = await broker.publish(t2, json(1), KEEP, key('same'));
      expect(elsewhere.isDuplicate).toBeFalsy();
      expect(elsewhere.offset.seq).toBe(1);
    });

    it('forgets a key once the window has passed: a later retry is a new message', async () => {
      context = setup();
      const broker = await node({ window: 10_000 });
      const topic = freshTopic();
      const first = await broker.publish(topic, json(1), KEEP, key('k'));
      context.advance(9_999);
      expect((await broker.publish(topic, json(1), KEEP, key('k'))).isDuplicate).toBe(true);
      context.advance(1);
      const late = await broker.publish(topic, json(1), KEEP, key('k'));
      expect(late.isDuplicate).toBeFalsy();
      expect(late.offset.seq).toBe(first.offset.seq + 1);
    });

    it('remembers at most maxKeys per topic, forgetting the oldest first', async () => {
      context = setup();
      const broker = await node({ maxKeys: 3 });
      const topic = freshTopic();
      for (const k of ['k1', 'k2', 'k3', 'k4']) await broker.publish(topic, json(k), KEEP, key(k));
      expect((await broker.publish(topic, json('k4'), KEEP, key('k4'))).offset.seq).toBe(4);
      expect((await broker.publish(topic, json('k2'), KEEP, key('k2'))).offset.seq).toBe(2);
      const forgotten = await broker.publish(topic, json('k1'), KEEP, key('k1'));
      expect(forgotten.isDuplicate).toBeFalsy();
      expect(forgotten.offset.seq).toBe(5);
    });

    describe.runIf(setup().isMultiNode)('across nodes', () => {
      it('answers a key published on node A as a repeat on node B', async () => {
        context = setup();
        const [a, b] = [await node(), await node()];
        const topic = freshTopic();
        const first = await a.publish(topic, json(1), KEEP, key('moved'));
        const repeat = await b.publish(topic, json(1), KEEP, key('moved'));
        expect(repeat).toMatchObject({ offset: first.offset, isDuplicate: true });
      });

      it('appends one message when both nodes publish the same key at once', async () => {
        context = setup();
        const [a, b] = [await node(), await node()];
        const topic = freshTopic();
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).publish(topic, json(1), KEEP, key('race'))),
        );
        expect(results.filter((r) => !r.isDuplicate)).toHaveLength(1);
        expect(new Set(results.map((r) => r.offset.seq))).toEqual(new Set([1]));
        expect((await a.history(topic, undefined, 10)).messages).toHaveLength(1);
      });
    });
  });
}
