import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  MAX_TOPIC_LENGTH,
  type StandardSchemaV1,
  compileTopicPattern,
  createTopicRegistry,
  defineTopics,
  isValidTopic,
  validateWith,
} from '../src/index';
import { topicOptionsOf } from '../src/topics/topic-map';

const TOPIC_ALPHABET = 'ABCxyz0189_.:@/=+~-';
const PARAM_ALPHABET = 'ABCxyz0189_.@=+~-';
const segmentArb = fc.string({ unit: fc.constantFrom(...PARAM_ALPHABET), minLength: 1, maxLength: 20 });

describe('isValidTopic', () => {
  it.each(['chat', 'user:42', 'a', 'org/team.room@eu=1+x~y-z_', 'x'.repeat(MAX_TOPIC_LENGTH)])('accepts %j', (t) => {
    expect(isValidTopic(t)).toBe(true);
  });

  it.each(['', ' chat', 'chat room', 'user:{id}', 'é', 'a\n', 'a#b', 'a?b', 'x'.repeat(MAX_TOPIC_LENGTH + 1)])(
    'rejects %j',
    (t) => {
      expect(isValidTopic(t)).toBe(false);
    },
  );

  it('accepts every string of the topic alphabet up to the length limit', () => {
    const topicArb = fc.string({ unit: fc.constantFrom(...TOPIC_ALPHABET), minLength: 1, maxLength: 256 });
    fc.assert(fc.property(topicArb, (t) => isValidTopic(t)));
  });
});

describe('compileTopicPattern', () => {
  it('matches a one-parameter pattern and extracts it', () => {
    const p = compileTopicPattern('user:{id}');
    expect(p.source).toBe('user:{id}');
    expect(p.params).toEqual(['id']);
    expect(p.match('user:42')).toEqual({ id: '42' });
    expect(p.match('user:a.b@c')).toEqual({ id: 'a.b@c' });
    expect(p.match('user:')).toBeUndefined();
    expect(p.match('users:42')).toBeUndefined();
    expect(p.match('xuser:42')).toBeUndefined();
  });

  it('matches a multi-parameter pattern', () => {
    const p = compileTopicPattern('chat:{room}:thread:{thread}');
    expect(p.params).toEqual(['room', 'thread']);
    expect(p.match('chat:lobby:thread:7')).toEqual({ room: 'lobby', thread: '7' });
    expect(p.match('chat:lobby:thread:')).toBeUndefined();
    expect(p.match('chat:lobby:7')).toBeUndefined();
  });

  it('extracts any parameter values of the segment alphabet', () => {
    const p = compileTopicPattern('chat:{room}:thread:{thread}');
    fc.assert(
      fc.property(segmentArb, segmentArb, (room, thread) => {
        expect(p.match(`chat:${room}:thread:${thread}`)).toEqual({ room, thread });
      }),
    );
  });

  it('never lets a parameter span a ":" or "/"', () => {
    const p = compileTopicPattern('user:{id}');
    expect(p.match('user:1:2')).toBeUndefined();
    expect(p.match('user:1/2')).toBeUndefined();
    expect(compileTopicPattern('{a}/{b}').match('x/y/z')).toBeUndefined();
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...TOPIC_ALPHABET), minLength: 1, maxLength: 30 }), (id) => {
        const params = p.match(`user:${id}`);
        if (params) expect(params.id).not.toMatch(/[:/]/);
        else expect(id).toMatch(/[:/]/);
      }),
    );
  });

  it('treats regex metacharacters of the literal parts literally', () => {
    const p = compileTopicPattern('a.b+c:{x}');
    expect(p.match('a.b+c:1')).toEqual({ x: '1' });
    expect(p.match('aXbbc:1')).toBeUndefined();
  });

  it('compiles a name without parameters to an exact match', () => {
    const p = compileTopicPattern('chat');
    expect(p.params).toEqual([]);
    expect(p.match('chat')).toEqual({});
    expect(p.match('chat2')).toBeUndefined();
  });

  it.each([
    '',
    'user:{id',
    'user:id}',
    'user:{}',
    'user:{1id}',
    'user:{i-d}',
    'user:{{id}}',
    'chat room:{id}',
    'user:{id}:{id}',
    'é:{id}',
  ])('rejects the declaration %j with a TypeError', (source) => {
    expect(() => compileTopicPattern(source)).toThrow(TypeError);
  });
});

describe('createTopicRegistry', () => {
  const chat = z.object({ text: z.string() });
  const user = z.object({ title: z.string() });
  const special = z.object({ admin: z.boolean() });

  it('resolves exact names before patterns, whatever the declaration order', () => {
    const registry = createTopicRegistry({ 'user:{id}': user, 'user:admin': special, chat });
    expect(registry.resolve('user:admin')).toMatchObject({ pattern: 'user:admin', schema: special, params: {} });
    expect(registry.resolve('user:42')).toMatchObject({ pattern: 'user:{id}', schema: user, params: { id: '42' } });
    expect(registry.resolve('chat')).toMatchObject({ pattern: 'chat', schema: chat, params: {} });
  });

  it('tries patterns in declaration order', () => {
    const registry = createTopicRegistry({ 'a:{x}': user, '{y}:b': chat });
    expect(registry.resolve('a:b')).toMatchObject({ pattern: 'a:{x}', params: { x: 'b' } });
    expect(registry.resolve('z:b')).toMatchObject({ pattern: '{y}:b', params: { y: 'z' } });
  });

  it('returns undefined for undeclared topics and lists only patterns', () => {
    const registry = createTopicRegistry({ chat, 'user:{id}': user });
    expect(registry.resolve('nope')).toBeUndefined();
    expect(registry.resolve('user:1:2')).toBeUndefined();
    expect(registry.resolve('toString')).toBeUndefined();
    expect(registry.patterns.map((p) => p.source)).toEqual(['user:{id}']);
  });

  it('resolves options declared with { schema, history, presence }', () => {
    const registry = createTopicRegistry({ 'room:{id}': { schema: chat, history: { size: 5 }, presence: true } });
    const hit = registry.resolve('room:1');
    expect(hit?.schema).toBe(chat);
    expect(hit?.options).toEqual({ schema: chat, history: { size: 5 }, presence: true });
  });

  it('throws on a malformed declaration', () => {
    expect(() => createTopicRegistry({ 'bad topic': chat })).toThrow(TypeError);
  });
});

describe('defineTopics / topicOptionsOf', () => {
  it('accepts bare schemas and { schema, history, presence } and returns the map unchanged', () => {
    const text = z.object({ text: z.string() });
    const map = {
      chat: text,
      'room:{id}': { schema: text, history: { size: 10, maxAge: 1000 }, presence: true },
    };
    expect(defineTopics(map)).toBe(map);
    expect(topicOptionsOf(map.chat)).toEqual({ schema: text });
    expect(topicOptionsOf(map['room:{id}'])).toBe(map['room:{id}']);
  });

  it('rejects malformed declarations', () => {
    expect(() => defineTopics({ 'user:{id': z.string() })).toThrow(TypeError);
  });
});

describe('validateWith', () => {
  const schema = z.object({ text: z.string().max(5), tags: z.array(z.string()) });

  it('returns the output of a successful sync validation', () => {
    const result = validateWith(
      z.string().transform((s) => s.length),
      'abc',
    );
    expect(result).toEqual({ ok: true, value: 3 });
  });

  it('reports a sync failure with the path in the message', () => {
    const result = validateWith(schema, { text: 'too long', tags: ['a', 1] });
    expect(result).not.toBeInstanceOf(Promise);
    if (result instanceof Promise || result.ok) throw new Error('expected a sync failure');
    expect(result.message).toMatch(/^text: /);
    expect(result.message).toContain('tags[1]: ');
    expect(result.issues.length).toBe(2);
  });

  it('describes a failure without a path by its message only', () => {
    const result = validateWith(z.string(), 42);
    if (result instanceof Promise || result.ok) throw new Error('expected a sync failure');
    expect(result.message).not.toMatch(/^: /);
    expect(result.message.length).toBeGreaterThan(0);
  });

  function asyncSchema(accept: (v: unknown) => boolean): StandardSchemaV1<unknown, string> {
    return {
      '~standard': {
        version: 1,
        vendor: 'test',
        validate: async (value) =>
          accept(value) ? { value: String(value) } : { issues: [{ message: 'nope', path: ['deep', { key: 0 }] }] },
      },
    };
  }

  it('returns a Promise for an async validator', async () => {
    const accepting = asyncSchema(() => true);
    const refusing = asyncSchema(() => false);
    const ok = validateWith(accepting, 7);
    expect(ok).toBeInstanceOf(Promise);
    await expect(ok).resolves.toEqual({ ok: true, value: '7' });
    await expect(validateWith(refusing, 7)).resolves.toMatchObject({ ok: false, message: 'deep[0]: nope' });
  });

  it("awaits another realm's promise or a bare thenable instead of reading it as a success", async () => {
    const foreign: StandardSchemaV1 = {
      '~standard': {
        version: 1,
        vendor: 'test',
        validate: () => runInNewContext('Promise.resolve({ issues: [{ message: "bad", path: ["x"] }] })'),
      },
    };
    const thenable: StandardSchemaV1 = {
      '~standard': {
        version: 1,
        vendor: 'test',
        validate: () =>
          // biome-ignore lint/suspicious/noThenProperty: a bare thenable is what this test feeds in
          ({ then: (resolve: (r: unknown) => void) => resolve({ issues: [{ message: 'bad' }] }) }) as never,
      },
    };
    await expect(validateWith(foreign, 1)).resolves.toMatchObject({ ok: false, message: 'x: bad' });
    await expect(validateWith(thenable, 1)).resolves.toMatchObject({ ok: false, message: 'bad' });
  });

  it('reports a validator that throws, or rejects, as a failure', async () => {
    const throwing: StandardSchemaV1 = {
      '~standard': {
        version: 1,
        vendor: 'test',
        validate: () => {
          throw new Error('boom');
        },
      },
    };
    let result: ReturnType<typeof validateWith> | undefined;
    expect(() => {
      result = validateWith(throwing, 1);
    }).not.toThrow();
    expect(result).toMatchObject({ ok: false, message: 'boom' });

    const rejecting: StandardSchemaV1 = {
      '~standard': { version: 1, vendor: 'test', validate: () => Promise.reject('not an error') },
    };
    await expect(validateWith(rejecting, 1)).resolves.toMatchObject({ ok: false, message: 'validator threw' });
  });
});

describe('defineTopics (outside run 4)', () => {
  it('refuses, at declaration, an entry without a schema (from JavaScript: it used to fail every publish later)', () => {
    const untyped = defineTopics as (map: Record<string, unknown>) => unknown;
    expect(() => untyped({ 'chat:{room}': { presence: true, history: { size: 10 } } })).toThrow(
      'topic chat:{room}: expected a Standard Schema (zod, valibot, arktype…) or { schema, … }',
    );
    expect(() => untyped({ news: 'a string' })).toThrow(TypeError);
    expect(() => untyped({ news: { schema: z.string() }, chat: z.object({}) })).not.toThrow();
  });
});
