import { describe, expect, it } from 'vitest';
import type { FilterVerdict } from '../src/index';
import { useTestResources } from './support/clients';
import { startTestServer } from './support/test-server';

const t = useTestResources();

/**
 * The message filter fails closed (#16): any verdict but `true` rejects, and the `rejected` error
 * always has a string `message`, as PROTOCOL.md §2.2 requires — also for a verdict without a
 * usable `reject` reason (`{}`, a missing `return`), which used to send an error without `message`.
 */
describe('filter verdicts', () => {
  it.each([
    ['{}', {}, 'message rejected'],
    ['undefined (no return)', undefined, 'message rejected'],
    ['null', null, 'message rejected'],
    ['false', false, 'message rejected'],
    ['{ reject: 42 } (not a string)', { reject: 42 }, 'message rejected'],
    ["{ reject: 'spam' }", { reject: 'spam' }, 'spam'],
  ])('%s → rejected, with a message', async (_case, verdict, message) => {
    const server = t.track(await startTestServer({ filter: () => verdict as unknown as FilterVerdict }));
    const client = await t.connect(server.url);
    expect(await client.publish('chat', { text: 'hi' })).toEqual({
      type: 'error',
      id: expect.any(Number),
      code: 'rejected',
      message,
      topic: 'chat',
    });
  });

  it('true passes', async () => {
    const server = t.track(await startTestServer({ filter: () => true }));
    const client = await t.connect(server.url);
    expect(await client.publish('chat', { text: 'hi' })).toMatchObject({ type: 'ack' });
  });
});
