import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import {
  type MethodInput,
  type MethodOutput,
  type PatternToTemplate,
  type PayloadOf,
  type PublishInputOf,
  type TopicName,
  defineMethods,
  defineTopics,
} from '../src/index';

const chatSchema = z.object({ text: z.string(), sentAt: z.coerce.date() });
const userSchema = z.object({ title: z.string(), role: z.string().default('member') });
const threadSchema = z.object({ body: z.string().transform((s) => s.length) });

const topics = defineTopics({
  chat: { schema: chatSchema, presence: true, history: { size: 10 } },
  'user:{id}': userSchema,
});
type Topics = typeof topics;

const threads = defineTopics({ 'chat:{room}:thread:{thread}': threadSchema });
type Threads = typeof threads;

describe('topic names', () => {
  it('turns patterns into template literal types', () => {
    expectTypeOf<PatternToTemplate<'user:{id}'>>().toEqualTypeOf<`user:${string}`>();
    expectTypeOf<PatternToTemplate<'chat'>>().toEqualTypeOf<'chat'>();
    expectTypeOf<TopicName<Threads>>().toEqualTypeOf<`chat:${string}:thread:${string}`>();
  });

  it('accepts exact names and pattern instances only', () => {
    expectTypeOf<TopicName<Topics>>().toEqualTypeOf<'chat' | `user:${string}`>();
    expectTypeOf<'user:42'>().toExtend<TopicName<Topics>>();
    expectTypeOf<'chat'>().toExtend<TopicName<Topics>>();
    expectTypeOf<'room:1'>().not.toExtend<TopicName<Topics>>();
    // @ts-expect-error: 'chats' is not declared
    const bad: TopicName<Topics> = 'chats';
    void bad;
  });
});

describe('payload types', () => {
  it('PayloadOf is the schema output of the matching pattern', () => {
    expectTypeOf<PayloadOf<Topics, 'user:42'>>().toEqualTypeOf<z.output<typeof userSchema>>();
    expectTypeOf<PayloadOf<Topics, 'user:42'>>().toEqualTypeOf<{ title: string; role: string }>();
    expectTypeOf<PayloadOf<Topics, 'chat'>>().toEqualTypeOf<{ text: string; sentAt: Date }>();
    expectTypeOf<PayloadOf<Threads, 'chat:a:thread:b'>>().toEqualTypeOf<{ body: number }>();
  });

  it('PublishInputOf is the schema input, which differs from the output', () => {
    expectTypeOf<PublishInputOf<Topics, 'user:42'>>().toEqualTypeOf<z.input<typeof userSchema>>();
    expectTypeOf<PublishInputOf<Topics, 'user:42'>>().toEqualTypeOf<{ title: string; role?: string | undefined }>();
    expectTypeOf<PublishInputOf<Topics, 'chat'>>().toEqualTypeOf<{ text: string; sentAt: unknown }>();
    expectTypeOf<PublishInputOf<Threads, 'chat:a:thread:b'>>().toEqualTypeOf<{ body: string }>();
    expectTypeOf<PublishInputOf<Topics, 'user:42'>>().not.toEqualTypeOf<PayloadOf<Topics, 'user:42'>>();
  });

  it('rejects a wrong payload at compile time', () => {
    const ok: PublishInputOf<Topics, 'user:42'> = { title: 'hi' };
    // @ts-expect-error: title must be a string
    const wrongType: PublishInputOf<Topics, 'user:42'> = { title: 42 };
    // @ts-expect-error: title is required
    const missing: PayloadOf<Topics, 'user:42'> = { role: 'admin' };
    // @ts-expect-error: the output of a transform is a number, not the input string
    const wrongSide: PayloadOf<Threads, 'chat:a:thread:b'> = { body: 'text' };
    void [ok, wrongType, missing, wrongSide];
  });

  it('has no payload for an undeclared topic', () => {
    expectTypeOf<PayloadOf<Topics, 'room:1'>>().toBeNever();
  });
});

describe('method types', () => {
  const methods = defineMethods({
    'rooms.list': { input: z.object({ limit: z.number().default(10) }), output: z.array(z.string()) },
    'rooms.count': { input: z.string().transform((s) => s.length), output: z.coerce.number() },
  });
  type Methods = typeof methods;

  it('MethodInput is the input schema input, MethodOutput the output schema output', () => {
    expectTypeOf<MethodInput<Methods, 'rooms.list'>>().toEqualTypeOf<{ limit?: number | undefined }>();
    expectTypeOf<MethodOutput<Methods, 'rooms.list'>>().toEqualTypeOf<string[]>();
    expectTypeOf<MethodInput<Methods, 'rooms.count'>>().toEqualTypeOf<string>();
    expectTypeOf<MethodOutput<Methods, 'rooms.count'>>().toEqualTypeOf<number>();
  });

  it('rejects wrong method names and inputs', () => {
    // @ts-expect-error: not a declared method
    expectTypeOf<MethodInput<Methods, 'rooms.nope'>>();
    // @ts-expect-error: limit must be a number
    const input: MethodInput<Methods, 'rooms.list'> = { limit: '10' };
    void input;
  });
});
