import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { once, withDeadline } from '../src/index';

describe('withDeadline', () => {
  it('passes the value through when in time', async () => {
    await expect(withDeadline(Promise.resolve(42), 100, 'the answer')).resolves.toBe(42);
  });

  it('rejects with a message naming what it waited for', async () => {
    await expect(withDeadline(new Promise(() => {}), 20, 'the answer')).rejects.toThrow(
      'Timed out after 20 ms waiting for the answer',
    );
  });
});

describe('once', () => {
  it('resolves with the arguments of an EventEmitter event', async () => {
    const emitter = new EventEmitter();
    const waiting = once(emitter, 'message', 1000);
    emitter.emit('message', 'a', 2);
    await expect(waiting).resolves.toEqual(['a', 2]);
    expect(emitter.listenerCount('message')).toBe(0);
    expect(emitter.listenerCount('error')).toBe(0);
  });

  it("rejects on an EventEmitter's error event", async () => {
    const emitter = new EventEmitter();
    const waiting = once(emitter, 'message', 1000);
    emitter.emit('error', new Error('boom'));
    await expect(waiting).rejects.toThrow('boom');
  });

  it('works with addEventListener targets', async () => {
    const target = new EventTarget();
    const waiting = once(target, 'open', 1000);
    const event = new Event('open');
    target.dispatchEvent(event);
    await expect(waiting).resolves.toEqual([event]);
  });

  it('times out and removes its listeners', async () => {
    const emitter = new EventEmitter();
    await expect(once(emitter, 'never', 20)).rejects.toThrow('Timed out after 20 ms waiting for "never" event');
    expect(emitter.listenerCount('never')).toBe(0);
  });
});
