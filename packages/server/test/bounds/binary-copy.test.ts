import { encodeBinaryFrame } from '@oxidite/protocol';
import { describe, expect, it } from 'vitest';
import { createMemoryBroker } from '../../src/index';
import { useTestResources } from '../support/clients';
import { encodeFrame, FrameReader, rawUpgrade } from '../support/raw-socket';
import { startTestServer } from '../support/test-server';

const t = useTestResources();

describe('a binary publish holds exactly its payload bytes (issue #25)', () => {
  it('a 16-byte publish written in one TCP write with a 60 KB junk frame keeps O(payload) bytes in history', async () => {
    const broker = createMemoryBroker();
    const server = t.track(await startTestServer({ broker }));
    const { socket } = await rawUpgrade(server.port);
    const reader = new FrameReader();
    const acked = new Promise<void>((resolve) => {
      socket.on('data', (chunk: Buffer) => {
        for (const frame of reader.push(chunk)) if (frame.payload.toString().includes('"ack"')) resolve();
      });
    });
    const publish = encodeBinaryFrame({ type: 'publish', id: 1, topic: 'files' }, new Uint8Array(16).fill(7));
    const junk = Buffer.alloc(60_000, 0x20); // a 60 KB text frame of spaces: malformed, answered with an error
    // One write: the server's socket reads both frames into one chunk, of which the publish is a view.
    socket.write(
      Buffer.concat([encodeFrame({ opcode: 2, payload: publish }), encodeFrame({ opcode: 1, payload: junk })]),
    );
    await acked;
    const history = await broker.history('files', undefined, 10);
    const bytes = history.messages[0]?.payload.bytes;
    expect([...(bytes ?? [])]).toEqual(Array(16).fill(7));
    expect(bytes?.buffer.byteLength).toBeLessThan(1_024);
    socket.destroy();
    await broker.close();
  });
});
