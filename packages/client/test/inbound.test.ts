import { encodeBinaryFrame } from '@oxidite/protocol';
import { describe, expect, it } from 'vitest';
import { decodeFrame } from '../src/wire/inbound';

describe('decoding server frames', () => {
  it('reads text envelopes, and binary messages from an ArrayBuffer or a byte view', () => {
    expect(decodeFrame('{"type":"pong"}')).toEqual({ ok: true, value: { type: 'pong' } });
    const frame = encodeBinaryFrame(
      { type: 'message', topic: 'files', offset: 'e1:3', ts: 5 },
      new Uint8Array([1, 2, 3]),
    );
    const fromBuffer = frame.buffer.slice(frame.byteOffset, frame.byteOffset + frame.byteLength) as ArrayBuffer;
    for (const data of [fromBuffer, Buffer.from(frame)]) {
      const result = decodeFrame(data);
      expect(result).toMatchObject({ ok: true, value: { type: 'message', topic: 'files', offset: 'e1:3', ts: 5 } });
      expect(result.ok && [...(result.value as { data: Uint8Array }).data]).toEqual([1, 2, 3]);
    }
  });

  it('never throws on garbage, and says why', () => {
    const garbage: unknown[] = [
      '',
      'nope',
      '[]',
      'null',
      '{"type":"message","topic":"t","offset":"bad","ts":1,"data":1}',
      '{"type":"nope"}',
      `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
      new Uint8Array([]),
      new Uint8Array([9, 0, 0]),
      new Uint8Array([1, 255, 255, 0]),
      42,
      undefined,
      { data: 'x' },
    ];
    for (const data of garbage) {
      const result = decodeFrame(data);
      expect(result.ok).toBe(false);
      expect(!result.ok && result.error.message.length).toBeGreaterThan(0);
    }
  });
});
