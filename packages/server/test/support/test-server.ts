import { defineTopics, type MethodMap, type TopicMap } from '@oxidite/protocol';
import * as z from 'zod';
import { createRealtimeServer, type RealtimeServer, type RealtimeServerOptions } from '../../src/index';

/** The topic map most tests use. */
export const testTopics = defineTopics({
  chat: z.object({ text: z.string().max(2_000) }),
  'room:{id}': { schema: z.object({ n: z.number().int() }), presence: true, history: { size: 50 } },
  'lobby:{id}': { schema: z.object({ n: z.number().int() }), presence: { sse: true } },
  'user:{id}': z.object({ title: z.string() }),
  numbers: { schema: z.object({ n: z.number().int() }), history: { size: 10_000, maxAge: 600_000 } },
  archive: { schema: z.object({ n: z.number().int() }), history: { size: 50_000, maxAge: 600_000 } },
  files: z.instanceof(Uint8Array),
  'nohist:{id}': { schema: z.object({ n: z.number() }), history: { size: 0 } },
});

/** A server on 127.0.0.1:0, disposed with `await using`. */
export interface TestServer<T extends TopicMap> extends AsyncDisposable {
  readonly rt: RealtimeServer<T, MethodMap>;
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export async function startTestServer<T extends TopicMap = typeof testTopics>(
  options: Partial<RealtimeServerOptions<T>> = {},
): Promise<TestServer<T>> {
  const rt = createRealtimeServer({ topics: testTopics as unknown as T, ...options } as RealtimeServerOptions<T>);
  const address = await rt.listen(0, '127.0.0.1');
  const close = () => rt.close();
  return { rt, port: address.port, url: `ws://127.0.0.1:${address.port}/ws`, close, [Symbol.asyncDispose]: close };
}
