import { decodeClientBinaryFrame, decodeClientEnvelope } from '@oxidite/protocol';
import { describe, expect, it } from 'vitest';
import { encodePublish } from '../src/wire/outbound';

const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('publish with a traceparent (PROTOCOL.md §4.7)', () => {
  it('carries it in text and binary publishes, and leaves it out when not given', () => {
    const text = encodePublish(1, 'chat', { text: 'hi' }, { messageId: 'a:1', traceparent });
    expect(decodeClientEnvelope(text as string)).toMatchObject({ ok: true, value: { traceparent, messageId: 'a:1' } });
    const binary = encodePublish(2, 'files', new Uint8Array([1, 2]), { traceparent });
    expect(decodeClientBinaryFrame(binary as Uint8Array)).toMatchObject({ ok: true, value: { traceparent } });
    expect(encodePublish(3, 'chat', {}, {})).toBe('{"type":"publish","id":3,"topic":"chat","data":{}}');
  });
});
