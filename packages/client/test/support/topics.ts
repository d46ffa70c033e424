import { defineMethods, defineTopics } from '@oxidite/protocol';
import * as z from 'zod';

/** The topic map of the client tests (server and client share it, as apps do). */
export const topics = defineTopics({
  chat: z.object({ text: z.string().max(200) }),
  numbers: { schema: z.object({ n: z.number().int() }), history: { size: 10_000, maxAge: 600_000 } },
  'room:{id}': { schema: z.object({ text: z.string() }), presence: true },
  nohist: { schema: z.object({ n: z.number().int() }), history: { size: 0 } },
  files: z.instanceof(Uint8Array),
  locked: z.object({ text: z.string() }),
});

/** The RPC methods of the client tests. */
export const methods = defineMethods({
  echo: { input: z.object({ x: z.number() }), output: z.object({ x: z.number() }) },
  /** Its handler replies with something that breaks the output schema. */
  lies: { input: z.object({}), output: z.object({ x: z.number() }) },
});

export type Topics = typeof topics;
export type Methods = typeof methods;
