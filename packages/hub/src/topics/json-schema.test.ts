import { validateWith } from '@oxidite/protocol';
import { describe, expect, it } from 'vitest';
import { createJsonSchemaCompiler } from './json-schema';

describe('JSON Schema topics as Standard Schema', () => {
  const compile = createJsonSchemaCompiler();

  it('validates with paths the SDK reports', async () => {
    const schema = compile({ type: 'object', properties: { items: { type: 'array', items: { type: 'integer' } } } });
    expect(await validateWith(schema, { items: [1, 2] })).toEqual({ ok: true, value: { items: [1, 2] } });
    expect(await validateWith(schema, { items: [1, 'x'] })).toMatchObject({
      ok: false,
      message: 'items.1: must be integer',
    });
  });

  it('knows the standard formats (email, date-time, uri, uuid)', async () => {
    const schema = compile({ type: 'string', format: 'email' });
    expect((await validateWith(schema, 'ada@example.com')).ok).toBe(true);
    expect((await validateWith(schema, 'not an email')).ok).toBe(false);
    for (const format of ['date-time', 'uri', 'uuid']) expect(() => compile({ type: 'string', format })).not.toThrow();
  });

  it('refuses unknown keywords (strict), so a typo does not open a schema', () => {
    expect(() => compile({ type: 'string', minLenght: 3 })).toThrow(/minLenght/);
  });
});
