import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { OutboundQueue, type OutboundQueueOptions } from '../../src/transport/outbound-queue';

/** A link that records writes, reports "backed up" on demand and drains when told to. */
class FakeLink extends OutboundQueue<string> {
  readonly writes: string[][] = [];
  isBackedUp = false;
  isOpen = true;
  overflows = 0;
  written = { messages: 0, bytes: 0 };
  #drain: (() => void) | undefined;

  push(item: string): boolean {
    return this.enqueue(item, item.length);
  }

  pushNow(item: string): boolean {
    return this.enqueueNow(item, item.length);
  }

  /** Fires the drain; `isStillBackedUp`: the backlog written then fills the link again. */
  drain(isStillBackedUp = false): void {
    this.isBackedUp = isStillBackedUp;
    const drain = this.#drain;
    this.#drain = undefined;
    drain?.();
  }

  protected writeOne(item: string): boolean {
    return this.writeAll([item]);
  }

  protected writeAll(items: readonly string[]): boolean {
    this.writes.push([...items]);
    return this.isBackedUp;
  }

  protected onceDrain(listener: () => void): void {
    this.#drain = listener;
  }

  protected onOverflow(): void {
    this.overflows++;
    this.isOpen = false;
    this.clearQueue();
  }

  protected onWritten(messages: number, bytes: number): void {
    this.written.messages += messages;
    this.written.bytes += bytes;
  }
}

const tick = () => new Promise<void>((resolve) => process.nextTick(resolve));
const batched: OutboundQueueOptions = { capacity: 3, maxBytes: 100, isBatched: true };
const unbatched: OutboundQueueOptions = { ...batched, isBatched: false };

describe('OutboundQueue', () => {
  it('batched: what a tick pushes leaves in one write on the next tick, counted once', async () => {
    const link = new FakeLink(batched);
    for (const item of ['a', 'bb', 'ccc', 'dddd', 'e']) link.push(item);
    expect(link.writes).toEqual([]);
    await tick();
    expect(link.writes).toEqual([['a', 'bb', 'ccc', 'dddd', 'e']]);
    expect(link.written).toEqual({ messages: 5, bytes: 11 });
  });

  it('batched: a tick past maxBytes is a slow consumer; flushQueue writes the batch at once', async () => {
    const link = new FakeLink(batched);
    link.push('x'.repeat(60));
    link.flushQueue();
    expect(link.writes).toEqual([['x'.repeat(60)]]);
    link.push('y'.repeat(60));
    expect(link.push('z'.repeat(60))).toBe(false);
    expect(link.overflows).toBe(1);
  });

  it('batched, enqueueNow: a lone answer leaves at once; behind a waiting batch or backlog it keeps its place', async () => {
    const link = new FakeLink(batched);
    link.pushNow('a');
    expect(link.writes).toEqual([['a']]);
    expect(link.written).toEqual({ messages: 1, bytes: 1 });
    link.push('b');
    link.pushNow('c');
    expect(link.writes).toEqual([['a']]);
    await tick();
    expect(link.writes).toEqual([['a'], ['b', 'c']]);
    link.isBackedUp = true;
    link.pushNow('d');
    link.pushNow('e');
    expect(link.writes).toEqual([['a'], ['b', 'c'], ['d']]);
    link.drain();
    expect(link.writes).toEqual([['a'], ['b', 'c'], ['d'], ['e']]);
  });

  it('unbatched: writes each item at once', () => {
    const link = new FakeLink(unbatched);
    link.push('a');
    link.push('b');
    expect(link.writes).toEqual([['a'], ['b']]);
  });

  it('holds items while backed up, bounded by capacity, and writes them in order on drain', async () => {
    const link = new FakeLink(unbatched);
    link.isBackedUp = true;
    link.push('1'); // written; the link reports backed up
    for (const item of ['2', '3', '4']) expect(link.push(item)).toBe(true);
    expect(link.writes).toEqual([['1']]);
    const writable = link.whenWritable();
    link.drain();
    await writable;
    expect(link.writes).toEqual([['1'], ['2', '3', '4']]);
    link.push('5');
    expect(link.writes.at(-1)).toEqual(['5']);
  });

  it('a backlog past capacity or maxBytes is a slow consumer', () => {
    const byCount = new FakeLink(unbatched);
    byCount.isBackedUp = true;
    byCount.push('1');
    for (const item of ['2', '3', '4']) byCount.push(item);
    expect(byCount.push('5')).toBe(false);
    expect(byCount.overflows).toBe(1);
    const byBytes = new FakeLink(unbatched);
    byBytes.isBackedUp = true;
    byBytes.push('1');
    byBytes.push('y'.repeat(90));
    expect(byBytes.push('z'.repeat(20))).toBe(false);
    expect(byBytes.overflows).toBe(1);
  });

  it('a drain that backs the link up again keeps what came later behind the rest', () => {
    const link = new FakeLink(unbatched);
    link.isBackedUp = true;
    link.push('1');
    link.push('2');
    link.drain(true);
    expect(link.writes).toEqual([['1'], ['2']]);
    link.push('3');
    expect(link.writes).toEqual([['1'], ['2']]);
    link.drain();
    expect(link.writes).toEqual([['1'], ['2'], ['3']]);
  });

  it('batched: a large fan-out is flushed in slices that yield to I/O, each link in order', async () => {
    // Each write takes 1 ms of CPU: 20 links are 20 ms, four times a slice.
    class SlowLink extends FakeLink {
      protected override writeAll(items: readonly string[]): boolean {
        const until = performance.now() + 1;
        while (performance.now() < until) {}
        return super.writeAll(items);
      }
    }
    const links = Array.from({ length: 20 }, () => new SlowLink(batched));
    for (const link of links) link.push('a');
    for (const link of links) link.push('b');
    const writtenAtImmediate = new Promise<number>((resolve) =>
      setImmediate(() => resolve(links.filter((link) => link.writes.length > 0).length)),
    );
    const written = await writtenAtImmediate;
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(links.length);
    await Promise.all(links.map((link) => link.whenWritable()));
    for (const link of links) expect(link.writes).toEqual([['a', 'b']]);
  });

  it('batched: whenWritable waits for the flush of a pending batch', async () => {
    const link = new FakeLink(batched);
    link.push('a');
    const writable = link.whenWritable();
    expect(link.writes).toEqual([]);
    await writable;
    expect(link.writes).toEqual([['a']]);
  });

  it('clearing drops what waits and releases whenWritable', async () => {
    const link = new FakeLink(unbatched);
    link.isBackedUp = true;
    link.push('1');
    link.push('2');
    const writable = link.whenWritable();
    link.isOpen = false;
    (link as unknown as { clearQueue(): void }).clearQueue();
    await writable;
    link.drain();
    expect(link.writes).toEqual([['1']]);
  });
});
