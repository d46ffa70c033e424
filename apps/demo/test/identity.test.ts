import { describe, expect, it } from 'vitest';
import { identityOf, normaliseName } from '../src/server/identity';

describe('identityOf', () => {
  it('normalises names into user ids and keeps the display name', () => {
    expect(identityOf('Ada')).toEqual({ id: 'ada', name: 'Ada' });
    expect(identityOf('  Grace   Hopper ')).toEqual({ id: 'grace-hopper', name: 'Grace Hopper' });
    expect(identityOf('Zoë Ångström')).toEqual({ id: 'zoe-angstrom', name: 'Zoë Ångström' });
    expect(identityOf('<script>alert(1)</script>')).toEqual({
      id: 'script-alert-1-script',
      name: '<script>alert(1)</script>',
    });
    expect(normaliseName('a.b_c')).toBe('a.b_c');
  });

  it('refuses what leaves no usable id', () => {
    for (const bad of [undefined, 42, '', '   ', '!!!', '日本語', 'x'.repeat(41)])
      expect(identityOf(bad)).toBeUndefined();
  });

  it('caps ids at 32 characters without a trailing dash', () => {
    const id = normaliseName(`${'a'.repeat(31)} b`);
    expect(id).toBe('a'.repeat(31));
  });
});
