import { decodeClientBinaryFrame, decodeClientEnvelope } from '@oxidite/protocol';
import { withDeadline } from '@oxidite/test-utils';
import { describe, expect, it } from 'vitest';
import type { StateChange } from '../src/index';
import { collect, connect, startServer } from './support/harness';
import { startScriptedServer } from './support/scripted-server';

// A publish larger than the server reads must fail once, with `too_large`, and leave the
// connection alone: resent after every 1009 close it kept a client reconnecting forever.

/**
 * A server from before `welcome.limits.maxBinaryPayload`: it announces only the text limit and
 * (as `ws` does) closes with 1009 on a frame over 1,000 bytes; it acknowledges every publish.
 */
function olderServer() {
  return startScriptedServer({
    maxPayload: 1_000,
    onConnection: (ws, n) =>
      ws.on('message', (data, isBinary) => {
        const bytes = new Uint8Array(data as Buffer);
        const decoded = isBinary ? decodeClientBinaryFrame(bytes) : decodeClientEnvelope(String(data));
        const id = decoded.ok && 'id' in decoded.value ? decoded.value.id : undefined;
        if (id !== undefined) ws.send(JSON.stringify({ type: 'ack', id, offset: `e1:${n}` }));
      }),
  });
}

describe('a publish over the server limit', () => {
  it('rejects a binary publish over welcome.limits.maxBinaryPayload before sending it, and stays open', async () => {
    const server = await startServer({ maxBinaryPayload: 1_024 });
    const client = connect(server.url);
    const files = collect(client, 'files');
    await files.sub.ready;
    const states: StateChange[] = [];
    client.on('state', (change) => states.push(change));
    await expect(client.publish('files', new Uint8Array(2_000))).rejects.toMatchObject({ code: 'too_large' });
    await client.publish('files', new Uint8Array(10));
    await files.count(1);
    expect(states).toEqual([]);
    expect(server.rt.stats().closes).toEqual({});
  });

  it('after a 1009 close, rejects the largest publish in flight with too_large instead of resending it', async () => {
    const older = await olderServer();
    const client = connect(older.url);
    await client.ready;
    const big = client.publish('files', new Uint8Array(5_000));
    await expect(withDeadline(big, 10_000, 'the oversized publish settles')).rejects.toMatchObject({
      code: 'too_large',
    });
    // The client came back once and works; the big frame was not sent again.
    await expect(client.publish('files', new Uint8Array(10))).resolves.toMatchObject({ offset: expect.any(String) });
    expect(older.connections()).toBe(2);
  });
});
