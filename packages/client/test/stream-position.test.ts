import { describe, expect, it } from 'vitest';
import { StreamPosition } from '../src/subscriptions/stream-position';

/**
 * The position reads offsets of its current epoch without `parseOffset` (issue #18 goal 7): that
 * shortcut must accept and refuse exactly what `parseOffset` does.
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

  it.each([
    'k3x:07',
    'k3x:',
    'k3x:1e3',
    'k3x: 9',
    'k3x:0x10',
    'k3x:-7',
    'k3x:12345678901234567',
    'k3x:9007199254740993',
    'k3x:6 ',
  ])('refuses the malformed offset %j', (text) => {
    const position = at('k3x:5');
    expect(position.advance(text)).toBe(false);
    expect(position.text).toBe('k3x:5');
  });

  it('accepts the largest sequence parseOffset does', () => {
    expect(at('k3x:5').advance('k3x:9007199254740991')).toBe(true);
  });
});
