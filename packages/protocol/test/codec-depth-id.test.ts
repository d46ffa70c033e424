import { describe, expect, it } from 'vitest';
import { decodeClientEnvelope } from '../src/index';

/**
 * A frame too deep to parse still names its request (#16): a client waiting on that id gets its
 * `too_large` answer instead of timing out. The id is found by a linear scan, never a parse.
 */
const deep = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

describe('too_large for depth carries the request id when the frame had a usable one', () => {
  it.each([
    ['a top-level id', `{"type":"publish","id":7,"topic":"chat","data":${deep(40)}}`, 7],
    ['an id after the deep part', `{"type":"publish","topic":"chat","data":${deep(40)}, "id" : 12 }`, 12],
    ['no id', `{"type":"publish","topic":"chat","data":${deep(40)}}`, undefined],
    ['an id only inside the data', `{"type":"publish","topic":"chat","data":[{"id":3},${deep(40)}]}`, undefined],
    ['a string id', `{"type":"publish","id":"7","topic":"chat","data":${deep(40)}}`, undefined],
    ['a negative id', `{"type":"publish","id":-1,"topic":"chat","data":${deep(40)}}`, undefined],
    ['a key that only contains "id"', `{"type":"publish","x":"\\"id\\":5","data":${deep(40)}}`, undefined],
    ['an array at the top', `[{"id":1},${deep(40)}]`, undefined],
  ])('%s', (_case, text, id) => {
    const result = decodeClientEnvelope(text, { maxDepth: 32 });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.error).toEqual({
        code: 'too_large',
        message: expect.any(String),
        ...(id === undefined ? {} : { id }),
      });
  });
});

describe('the depth limit counts nesting, not brackets', () => {
  // The scan is skipped when a frame has too few brackets to be deep (issue #18 goal 7): many
  // shallow ones, and brackets inside strings, must still be judged by their real depth.
  const shallow = `[${Array.from({ length: 100 }, () => '{"a":[1]}').join(',')}]`;
  it.each([
    ['many shallow brackets', `{"type":"publish","topic":"chat","data":${shallow}}`, true],
    ['brackets inside a string', `{"type":"publish","topic":"chat","data":"${'['.repeat(100)}"}`, true],
    ['exactly the limit', `{"type":"publish","topic":"chat","data":${deep(31)}}`, true],
    ['one past the limit', `{"type":"publish","topic":"chat","data":${deep(32)}}`, false],
  ])('%s', (_case, text, isAccepted) => {
    expect(decodeClientEnvelope(text, { maxDepth: 32 }).ok).toBe(isAccepted);
  });
});
