import { type ClientEnvelope, encodeBinaryFrame, utf8Encode } from '@oxidite/protocol';

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

/** The frame limits a server announces in `welcome.limits` (each absent or 0: not announced). */
export interface FrameLimits {
  readonly maxPayload?: number | undefined;
  readonly maxBinaryPayload?: number | undefined;
}

/**
 * The server's limit `frame` is over, or undefined when it fits (or no limit was announced).
 * Cheap for text that cannot be near its limit.
 */
export function limitExceeded(frame: Frame, limits: FrameLimits): number | undefined {
  if (typeof frame !== 'string') {
    const limit = limits.maxBinaryPayload;
    return limit && frame.byteLength > limit ? limit : undefined;
  }
  const limit = limits.maxPayload;
  // A UTF-16 code unit is at most 3 UTF-8 bytes: only encode when the text might be too big.
  return limit && frame.length * 3 > limit && utf8Encode(frame).length > limit ? limit : undefined;
}

/** A frame's size for comparing frames (text in UTF-16 units: no encoding on the hot path). */
export function frameSize(frame: Frame): number {
  return typeof frame === 'string' ? frame.length : frame.byteLength;
}
