import { defineMethods, RealtimeError } from '@oxidite/protocol';
import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { useTestResources } from './support/clients';
import { createRealtimeServer } from '../src/index';
import { startTestServer, testTopics } from './support/test-server';

const t = useTestResources();
const methods = defineMethods({
  add: { input: z.object({ a: z.number(), b: z.number() }), output: z.number() },
});

describe('rpc', () => {
  it('replies to a registered method and validates declared input', async () => {
    // Built directly (not through the test helper) so the method map's types flow into `rpc`.
    const rt = createRealtimeServer({ topics: testTopics, methods });
    const { port } = await rt.listen(0);
    t.track({ close: () => rt.close() } as never);
    rt.rpc('add', ({ a, b }) => a + b);
    rt.rpc('echo', (data) => data);
    const client = await t.connect(`ws://127.0.0.1:${port}/ws`);
    client.send({ type: 'rpc', id: 1, method: 'add', data: { a: 2, b: 3 } });
    expect(await client.next('reply', (e) => e.id === 1)).toMatchObject({ data: 5 });
    client.send({ type: 'rpc', id: 2, method: 'add', data: { a: 'x' } });
    expect(await client.next('error', (e) => e.id === 2)).toMatchObject({ code: 'invalid' });
    client.send({ type: 'rpc', id: 3, method: 'echo', data: [1, 'two'] });
    expect(await client.next('reply', (e) => e.id === 3)).toMatchObject({ data: [1, 'two'] });
  });

  it('answers typed errors, hides internal ones, and reports them to the error event', async () => {
    const server = t.track(await startTestServer());
    const errors: unknown[] = [];
    server.rt.on('error', (error) => errors.push(error));
    server.rt.rpc('deny', () => {
      throw new RealtimeError('forbidden', 'not yours');
    });
    server.rt.rpc('crash', () => {
      throw new Error('database password is hunter2');
    });
    const client = await t.connect(server.url);
    client.send({ type: 'rpc', id: 1, method: 'deny', data: null });
    expect(await client.next('error', (e) => e.id === 1)).toMatchObject({ code: 'forbidden', message: 'not yours' });
    client.send({ type: 'rpc', id: 2, method: 'crash', data: null });
    const crash = await client.next('error', (e) => e.id === 2);
    expect(crash).toMatchObject({ code: 'internal', message: 'crash failed' });
    expect(JSON.stringify(crash)).not.toContain('hunter2');
    expect(errors).toHaveLength(1);
    client.send({ type: 'rpc', id: 3, method: 'missing', data: null });
    expect(await client.next('error', (e) => e.id === 3)).toMatchObject({ code: 'unknown_method' });
  });
});
