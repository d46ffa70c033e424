import { describe, expect, it } from 'vitest';
import type { RawData } from 'ws';
import { useServerUnderTest } from './support/server-under-test';

/** PROTOCOL.md §2.4: binary frames, built and read byte by byte from the spec. */
const server = useServerUnderTest();

/** Byte 0: version 1; bytes 1–2: H, big-endian; the next H bytes: the JSON header; the rest: payload. */
function frame(header: object, payload: Uint8Array): Buffer {
  const json = Buffer.from(JSON.stringify(header));
  const head = Buffer.from([1, json.length >> 8, json.length & 0xff]);
  return Buffer.concat([head, json, payload]);
}

function parse(bytes: Buffer): { version: number; header: unknown; payload: Buffer } {
  const length = bytes.readUInt16BE(1);
  return {
    version: bytes[0] ?? -1,
    header: JSON.parse(bytes.subarray(3, 3 + length).toString('utf8')),
    payload: bytes.subarray(3 + length),
  };
}

describe('§2.4 binary frames', () => {
  it('a binary publish is acked and reaches a subscriber as a binary `message` with the same bytes', async () => {
    const [reader, writer] = [await server.connect(), await server.connect()];
    reader.send({ type: 'subscribe', id: 1, topic: 'bytes' });
    await reader.next('subscribed');
    const received = new Promise<Buffer>((resolve) =>
      reader.ws.on('message', (data: RawData, isBinary: boolean) => isBinary && resolve(data as Buffer)),
    );
    const payload = Uint8Array.from([0, 1, 2, 253, 254, 255]);
    writer.ws.send(frame({ type: 'publish', id: 5, topic: 'bytes' }, payload));
    const ack = (await writer.next('ack', (e) => e.id === 5)) as { offset: string };
    const message = parse(await received);
    expect(message.version).toBe(1);
    expect(message.header).toMatchObject({ type: 'message', topic: 'bytes', offset: ack.offset });
    expect([...message.payload]).toEqual([...payload]);
  });

  it('a binary frame of another type is answered `unknown_type`; a truncated one `malformed`', async () => {
    const client = await server.connect();
    client.ws.send(frame({ type: 'subscribe', id: 1, topic: 'bytes' }, new Uint8Array()));
    expect(await client.next('error')).toMatchObject({ code: 'unknown_type' });
    client.ws.send(Buffer.from([1, 0, 50, 123]));
    expect(await client.next('error')).toMatchObject({ code: 'malformed' });
  });
});
