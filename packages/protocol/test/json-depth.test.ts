import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exceedsJsonDepth } from '../src/codec/json-depth';

/** The exact scan on its own: what the bracket-count shortcut must always agree with. */
function exactScan(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') {
      if (++depth > maxDepth) return true;
    } else if (c === '}' || c === ']') depth--;
  }
  return false;
}

describe('exceedsJsonDepth', () => {
  it('agrees with the exact scan on bracket soup, strings and escapes included (5,000 runs)', () => {
    const soup = fc.string({ unit: fc.constantFrom('[', ']', '{', '}', '"', '\\', 'a', ','), maxLength: 60 });
    fc.assert(
      fc.property(soup, fc.integer({ min: 0, max: 12 }), (text, maxDepth) => {
        expect(exceedsJsonDepth(text, maxDepth)).toBe(exactScan(text, maxDepth));
      }),
      { numRuns: 5_000 },
    );
  });

  it('takes the shortcut only when the brackets cannot nest deeper, inside strings or not', () => {
    expect(exceedsJsonDepth('{"a":[1,{"b":2}]}', 3)).toBe(false);
    expect(exceedsJsonDepth('{"a":[1,{"b":[2]}]}', 3)).toBe(true);
    expect(exceedsJsonDepth(`{"a":"${'['.repeat(10)}"}`, 3)).toBe(false);
    expect(exceedsJsonDepth('[]'.repeat(10), 1)).toBe(false);
  });
});
