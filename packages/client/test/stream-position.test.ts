import { describe, expect, it } from 'vitest';
import { StreamPosition } from '../src/subscriptions/stream-position';

/**
 * The position reads offsets of its current epoch without `parseOffset` (issue #18 goal 7): it
 * must still order them by number, not as text, and tell epochs apart that start alike.
 */
describe('StreamPosition', () => {
  const at = (text: string) => {
    const position = new StreamPosition();
    position.adopt(text);
    return position;
  };

  it('moves forward within the epoch and drops what it has seen', () => {
    const position = at('k3x:5');
    expect(position.advance('k3x:6')).toBe(true);
    expect(position.advance('k3x:6')).toBe(false);
    expect(position.advance('k3x:4')).toBe(false);
    expect(position.advance('k3x:10')).toBe(true);
    expect(position.text).toBe('k3x:10');
  });

  it('takes any offset of another epoch as new, including a longer epoch that starts alike', () => {
    expect(at('k3x:5').advance('k3xy:1')).toBe(true);
    expect(at('k3x:5').advance('k3:1')).toBe(true);
    const position = at('k3x:5');
    position.advance('other:1');
    expect(position.advance('other:1')).toBe(false);
    expect(position.advance('k3x:6')).toBe(true);
  });

  it('orders by number, not as text', () => {
    const position = at('k3x:9');
    expect(position.advance('k3x:10')).toBe(true);
    expect(position.advance('k3x:9')).toBe(false);
    expect(position.advance('k3x:100')).toBe(true);
  });

  it('refuses what is not an offset', () => {
    const position = new StreamPosition();
    expect(position.advance('not an offset')).toBe(false);
    expect(position.text).toBeUndefined();
  });

  it('after a reset to another epoch, replays that epoch from its start', () => {
    const position = at('k3x:5');
    position.reset('new:7');
    expect(position.text).toBe('new:0');
    expect(position.advance('new:1')).toBe(true);
  });

  it('accepts the largest sequence parseOffset does', () => {
    expect(at('k3x:5').advance('k3x:9007199254740991')).toBe(true);
  });
});
