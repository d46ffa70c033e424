import { type ClientEnvelope, encodeBinaryFrame } from '@oxidite/protocol';
import { utf8Encode } from './utf8';

/** A frame ready for `WebSocket.send`: a JSON text frame or a binary frame. */
export type Frame = string | Uint8Array;

/** A client envelope as a text frame. Throws on data that JSON cannot represent (cycles, BigInt). */
export function encodeText(envelope: ClientEnvelope): string {
  return JSON.stringify(envelope);
}

/** The optional fields of a `publish`. */
export interface PublishFields {
  /** Absent for an at-most-once publish. */
  readonly messageId?: string | undefined;
  /** The W3C trace context the caller gave (PROTOCOL.md §4.7). */
  readonly traceparent?: string | undefined;
}

/** A `publish`: raw bytes go as a binary frame (never base64 in JSON), anything else as JSON. */
export function encodePublish(id: number, topic: string, data: unknown, fields: PublishFields): Frame {
  const { messageId, traceparent } = fields;
  // JSON leaves out the optional fields that are undefined.
  if (data instanceof Uint8Array)
    return encodeBinaryFrame({ type: 'publish', id, topic, messageId, traceparent }, data);
  return encodeText({ type: 'publish', id, topic, data, messageId, traceparent });
}

/** Whether a text frame is larger than `limit` bytes of UTF-8; cheap for text that cannot be near it. */
export function exceedsLimit(frame: Frame, limit: number): boolean {
  if (typeof frame !== 'string') return false; // binary frames have their own, larger server limit
  // A UTF-16 code unit is at most 3 UTF-8 bytes: only encode when the text might be too big.
  return frame.length * 3 > limit && utf8Encode(frame).length > limit;
}
