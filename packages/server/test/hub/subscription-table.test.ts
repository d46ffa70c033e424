import { describe, expect, it } from 'vitest';
import { SubscriptionTable } from '../../src/hub/subscription-table';

const sub = (topic: string, n = 0) => ({ topic, n });

describe('SubscriptionTable (a Map of subscriptions that keeps a lone one in a field)', () => {
  it('behaves like a Map through one, two and back to none', () => {
    const table = new SubscriptionTable<{ topic: string; n: number }>();
    expect(table.size).toBe(0);
    expect(table.get('a')).toBeUndefined();
    expect([...table.keys()]).toEqual([]);

    const a = sub('a');
    table.set('a', a);
    expect(table.size).toBe(1);
    expect(table.get('a')).toBe(a);
    expect(table.has('a')).toBe(true);
    expect(table.has('b')).toBe(false);
    expect(table.delete('b')).toBe(false);

    const b = sub('b');
    table.set('b', b);
    expect(table.size).toBe(2);
    expect([...table.keys()]).toEqual(['a', 'b']);
    expect([...table.values()]).toEqual([a, b]);

    const a2 = sub('a', 2);
    table.set('a', a2);
    expect(table.get('a')).toBe(a2);
    expect([...table.keys()]).toEqual(['a', 'b']);

    expect(table.delete('a')).toBe(true);
    expect(table.delete('a')).toBe(false);
    expect([...table.values()]).toEqual([b]);
    expect(table.delete('b')).toBe(true);
    expect(table.size).toBe(0);
  });

  it('replaces a lone subscription of the same topic, and deletes it', () => {
    const table = new SubscriptionTable<{ topic: string; n: number }>();
    table.set('a', sub('a', 1));
    const again = sub('a', 2);
    table.set('a', again);
    expect(table.size).toBe(1);
    expect([...table.values()]).toEqual([again]);
    expect(table.delete('a')).toBe(true);
    expect(table.size).toBe(0);
    expect([...table.values()]).toEqual([]);
  });

  it('refuses a subscription filed under another topic (a hub bug, not input)', () => {
    const table = new SubscriptionTable<{ topic: string; n: number }>();
    expect(() => table.set('a', sub('b'))).toThrow(TypeError);
  });
});
