import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DecodeResult, decodeClientBinaryFrame, decodeServerBinaryFrame, encodeBinaryFrame } from '../src/index';
import { BINARY_FRAME_VERSION } from '../src/codec/frame';
import { bytesArb, messageHeaderArb, publishHeaderArb } from './codec-arbitraries';

function errorOf(result: DecodeResult<unknown>) {
  if (result.ok) throw new Error('expected a decode error');
  return result.error;
}

/** A frame with the given version byte, header bytes (length from `declared`) and payload. */
function frame(header: Uint8Array, payload: Uint8Array = new Uint8Array(), declared = header.length, version = 1) {
  return Uint8Array.of(version, declared >>> 8, declared & 0xff, ...header, ...payload);
}
const utf8 = (text: string) => new TextEncoder().encode(text);
const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((byte, i) => byte === b[i]);

describe('binary frame round-trip', () => {
  it('round-trips a publish with any payload bytes', () => {
    fc.assert(
      fc.property(publishHeaderArb, bytesArb, (header, payload) => {
        const bytes = encodeBinaryFrame(header, payload);
        expect(bytes[0]).toBe(BINARY_FRAME_VERSION);
        const result = decodeClientBinaryFrame(bytes);
        if (!result.ok) throw new Error(result.error.message);
        const { data, ...rest } = result.value;
        expect(rest).toEqual(header);
        expect(data).toBeInstanceOf(Uint8Array);
        expect(sameBytes(data, payload)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('round-trips a message with any payload bytes', () => {
    fc.assert(
      fc.property(messageHeaderArb, bytesArb, (header, payload) => {
        const result = decodeServerBinaryFrame(encodeBinaryFrame(header, payload));
        if (!result.ok) throw new Error(result.error.message);
        const { data, ...rest } = result.value;
        expect(rest).toEqual(header);
        expect(data).toBeInstanceOf(Uint8Array);
        expect(sameBytes(data, payload)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('lays out version, big-endian header length, header JSON, payload', () => {
    const header = { type: 'publish' as const, topic: 't' };
    const bytes = encodeBinaryFrame(header, Uint8Array.of(9, 8));
    const json = utf8(JSON.stringify(header));
    expect([...bytes]).toEqual([1, json.length >>> 8, json.length & 0xff, ...json, 9, 8]);
  });

  it('decodes a header longer than 255 bytes', () => {
    const header = { type: 'message' as const, topic: 'a'.repeat(256), offset: 'e:1', ts: 0 };
    const result = decodeServerBinaryFrame(encodeBinaryFrame(header, Uint8Array.of(1)));
    expect(result).toEqual({ ok: true, value: { ...header, data: Uint8Array.of(1) } });
  });

  it('ignores a data field in the header: the payload is the data', () => {
    const bytes = frame(utf8('{"type":"publish","topic":"t","data":"nope"}'), Uint8Array.of(7));
    expect(decodeClientBinaryFrame(bytes)).toEqual({
      ok: true,
      value: { type: 'publish', topic: 't', data: Uint8Array.of(7) },
    });
  });

  it('refuses to encode a header over 65,535 bytes', () => {
    expect(() => encodeBinaryFrame({ type: 'publish', topic: 'x'.repeat(70_000) }, new Uint8Array())).toThrow(
      RangeError,
    );
  });
});

describe('binary frame errors', () => {
  const header = utf8('{"type":"publish","topic":"t"}');
  const decoders = [decodeClientBinaryFrame, decodeServerBinaryFrame] as const;

  it.each([0, 2, 255])('rejects version %i as malformed', (version) => {
    for (const decode of decoders)
      expect(errorOf(decode(frame(header, undefined, header.length, version))).code).toBe('malformed');
  });

  it.each([[[]], [[1]], [[1, 0]]])('rejects a frame shorter than its prefix %j', (bytes) => {
    for (const decode of decoders) expect(errorOf(decode(Uint8Array.from(bytes))).code).toBe('malformed');
  });

  it('rejects a header cut short, or one overrunning the frame, as malformed', () => {
    const full = frame(header, Uint8Array.of(1, 2, 3));
    expect(decodeClientBinaryFrame(full).ok).toBe(true);
    expect(errorOf(decodeClientBinaryFrame(full.subarray(0, 3 + header.length - 1))).code).toBe('malformed');
    expect(errorOf(decodeClientBinaryFrame(frame(header, undefined, header.length + 1))).code).toBe('malformed');
    expect(errorOf(decodeClientBinaryFrame(frame(header, undefined, 0xffff))).code).toBe('malformed');
  });

  it('rejects a header that is not UTF-8 as malformed', () => {
    for (const bad of [[0xff], [0xc3], [0xed, 0xa0, 0x80], [0x22, 0x80, 0x22]]) {
      const error = errorOf(decodeClientBinaryFrame(frame(Uint8Array.from(bad))));
      expect(error).toEqual({ code: 'malformed', message: expect.stringContaining('UTF-8') });
    }
  });

  it('rejects a header that is not JSON as malformed', () => {
    expect(errorOf(decodeClientBinaryFrame(frame(utf8('{type:publish}')))).code).toBe('malformed');
    expect(errorOf(decodeServerBinaryFrame(frame(new Uint8Array()))).code).toBe('malformed');
  });

  it.each(['[]', '"publish"', 'null', '42', 'true'])('rejects a non-object header %s as invalid', (json) => {
    for (const decode of decoders) expect(errorOf(decode(frame(utf8(json)))).code).toBe('invalid');
  });

  it('rejects envelope types that do not travel as binary frames', () => {
    const subscribe = frame(utf8('{"type":"subscribe","id":1,"topic":"t"}'));
    expect(errorOf(decodeClientBinaryFrame(subscribe)).code).toBe('unknown_type');
    expect(errorOf(decodeServerBinaryFrame(subscribe)).code).toBe('unknown_type');
    expect(errorOf(decodeServerBinaryFrame(frame(header))).code).toBe('unknown_type');
    expect(errorOf(decodeClientBinaryFrame(frame(utf8('{"type":"message"}')))).code).toBe('unknown_type');
  });

  it('keeps a valid request id when the type does not travel as binary, as the text decoder does', () => {
    const subscribe = frame(utf8('{"type":"subscribe","id":4,"topic":"t"}'));
    expect(errorOf(decodeServerBinaryFrame(subscribe))).toEqual({
      code: 'unknown_type',
      message: expect.any(String),
      id: 4,
    });
    expect(errorOf(decodeClientBinaryFrame(subscribe))).toEqual({
      code: 'unknown_type',
      message: expect.any(String),
      id: 4,
    });
    expect(errorOf(decodeClientBinaryFrame(frame(utf8('{"type":"message","id":0}')))).id).toBe(0);
    for (const id of ['-1', '1.5', '"4"', 'null', '1e300']) {
      const error = errorOf(decodeServerBinaryFrame(frame(utf8(`{"type":"ack","id":${id}}`))));
      expect(error.code).toBe('unknown_type');
      expect(error).not.toHaveProperty('id');
    }
  });

  it('reports invalid header fields with their path and the request id', () => {
    const error = errorOf(decodeClientBinaryFrame(frame(utf8('{"type":"publish","id":4,"topic":5}'))));
    expect(error).toEqual({ code: 'invalid', message: expect.stringMatching(/^publish\.topic: /), id: 4 });
    const message = errorOf(decodeServerBinaryFrame(frame(utf8('{"type":"message","topic":"t","offset":"x","ts":1}'))));
    expect(message.message).toMatch(/^message\.offset: /);
  });

  it('rejects a header nested deeper than 32 levels as too_large, without throwing', () => {
    const deep = utf8(`{"type":"publish","topic":"t","x":${'['.repeat(40_000)}`);
    expect(deep.length).toBeLessThan(0xffff);
    expect(() => decodeClientBinaryFrame(frame(deep))).not.toThrow();
    expect(errorOf(decodeClientBinaryFrame(frame(deep))).code).toBe('too_large');
  });
});
