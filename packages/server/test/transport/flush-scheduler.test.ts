import { describe, expect, it } from 'vitest';
import { createFlushScheduler, type Flushable } from '../../src/transport/flush-scheduler';

/** A clock that moves only when a flush says so: slices are exact, however loaded the machine. */
function fakeClock() {
  let ms = 0;
  return { now: () => ms, advance: (by: number) => (ms += by) };
}

const nextImmediate = () => new Promise<void>((resolve) => setImmediate(resolve));
const nextTick = () => new Promise<void>((resolve) => process.nextTick(resolve));

describe('createFlushScheduler', () => {
  it('flushes in slices of sliceMs, the first on nextTick, the rest after I/O, in arrival order', async () => {
    const clock = fakeClock();
    const scheduler = createFlushScheduler({ sliceMs: 3, now: clock.now });
    const flushed: number[] = [];
    const queue = (n: number): Flushable => ({
      flushQueue: () => {
        flushed.push(n);
        clock.advance(1);
      },
    });
    for (let n = 0; n < 7; n++) scheduler.schedule(queue(n));
    await nextTick();
    expect(flushed).toEqual([0, 1, 2]);
    await nextImmediate();
    expect(flushed).toEqual([0, 1, 2, 3, 4, 5]);
    scheduler.schedule(queue(7)); // joins the queues still waiting, behind them
    await nextImmediate();
    expect(flushed).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('a flush that throws does not stop the others', async () => {
    const scheduler = createFlushScheduler();
    const flushed: string[] = [];
    scheduler.schedule({
      flushQueue: () => {
        throw new Error('boom');
      },
    });
    scheduler.schedule({ flushQueue: () => flushed.push('after') });
    const thrown = new Promise<unknown>((resolve) => process.once('uncaughtException', resolve));
    await thrown;
    await nextImmediate();
    expect(flushed).toEqual(['after']);
    scheduler.schedule({ flushQueue: () => flushed.push('later') });
    await nextTick();
    expect(flushed).toEqual(['after', 'later']);
  });
});
