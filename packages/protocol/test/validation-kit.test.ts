import { describe, expect, it } from 'vitest';
import {
  count,
  createSchema,
  type Issues,
  list,
  nonEmpty,
  object,
  optional,
  record,
  storedText,
  text,
  unknown,
  withDefault,
} from '../src/validation/guards';

/** The protocol's one validator kit (issue #17): the envelope guard, notifications and analytics use it. */
describe('validator kit', () => {
  const item = object<{ name: string; size?: number | undefined }>({
    name: nonEmpty(text({ max: 8 })),
    size: optional(count),
  });
  const order = object<{ items: { name: string; size?: number | undefined }[]; tags: Record<string, number> }>({
    items: list(item, 1, 3),
    tags: withDefault(record(count), {}),
  });

  it('reports every issue, each with its full path, in the shape order', () => {
    const result = createSchema(order)['~standard'].validate({ items: [{ name: '' }, { name: 'x', size: -1 }, {}] });
    expect(result.issues).toEqual([
      { message: 'expected at least 1 character', path: ['items', 0, 'name'] },
      { message: 'expected a non-negative integer', path: ['items', 1, 'size'] },
      { message: 'required', path: ['items', 2, 'name'] },
    ]);
  });

  it('strips unknown keys, applies defaults, leaves absent optional keys out', () => {
    const issues: Issues = [];
    const output = order({ items: [{ name: 'a', extra: true }], more: 1 }, issues);
    expect(issues).toEqual([]);
    expect(output).toStrictEqual({ items: [{ name: 'a' }], tags: {} });
    expect(Object.keys(output.items[0]!)).toEqual(['name']);
  });

  it('treats a present key holding undefined like zod: required fails, optional keeps the key', () => {
    expect(createSchema(object({ data: unknown }))['~standard'].validate({}).issues).toEqual([
      { message: 'required', path: ['data'] },
    ]);
    expect(createSchema(object({ data: unknown }))['~standard'].validate({ data: undefined })).toEqual({
      value: { data: undefined },
    });
    const kept = createSchema(item)['~standard'].validate({ name: 'a', size: undefined });
    expect(kept).toStrictEqual({ value: { name: 'a', size: undefined } });
  });

  it('checks list bounds before items, and record keys and values with their paths', () => {
    expect(createSchema(order)['~standard'].validate({ items: [] }).issues?.[0]?.message).toBe('expected 1 to 3 items');
    const tags = createSchema(record(count, { maxKeys: 1, key: text({ max: 2 }) }))['~standard'];
    expect(tags.validate({ abc: 1 }).issues).toEqual([{ message: 'expected at most 2 characters', path: ['abc'] }]);
    expect(tags.validate({ a: 1, b: 2 }).issues?.[0]?.message).toBe('expected at most 1 keys');
    const polluted = createSchema(record(count))['~standard'].validate(JSON.parse('{"__proto__": 1}'));
    expect(polluted.issues).toBeUndefined();
    expect(Object.getPrototypeOf((polluted as { value: object }).value)).toBe(Object.prototype);
  });

  it('refuses NUL and lone surrogates only in stored text', () => {
    expect(createSchema(storedText({ max: 9 }))['~standard'].validate('a\0b').issues?.[0]?.message).toBe(
      'expected text without NUL or lone surrogates',
    );
    expect(createSchema(storedText({ max: 9 }))['~standard'].validate('\uD800').issues).toHaveLength(1);
    expect(createSchema(text({ max: 9 }))['~standard'].validate('a\0b')).toEqual({ value: 'a\0b' });
  });
});
