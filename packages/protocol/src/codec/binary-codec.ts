import type { Publish } from '../envelopes/client-envelopes';
import type { Message } from '../envelopes/server-envelopes';
import type { DecodeResult } from './decode-result';
import { BINARY_FRAME_VERSION, BINARY_PREFIX, type BinaryMessage, decodeBinaryFrame } from './frame';
import { validateServerEnvelope } from './server-envelope-guard';
import { utf8Encode } from './utf8';

/**
 * Binary frames carry raw bytes without base64:
 *
 *   byte 0      format version (1)
 *   bytes 1–2   header length H, unsigned big-endian
 *   bytes 3…    H bytes of UTF-8 JSON: the envelope without `data`
 *   the rest    the payload bytes (the envelope's `data`)
 *
 * Only `publish` (client → server) and `message` (server → client) travel as binary frames.
 * Both are checked by the validator kit's hand-written guards (`server-envelope-guard.ts`,
 * `client-envelope-guard.ts`), which apply the zod schemas' constraints without zod.
 */
export { BINARY_FRAME_VERSION };
export type { BinaryMessage, BinaryPublish } from './frame';
export { decodeClientBinaryFrame } from './client-codec';

const MAX_HEADER = 0xffff;

/** Builds a binary frame from an envelope header and its payload bytes. */
export function encodeBinaryFrame(
  header: Omit<Publish, 'data'> | Omit<Message, 'data'>,
  payload: Uint8Array,
): Uint8Array {
  const head = utf8Encode(JSON.stringify(header));
  if (head.length > MAX_HEADER) throw new RangeError('binary frame header too large');
  const frame = new Uint8Array(BINARY_PREFIX + head.length + payload.length);
  frame[0] = BINARY_FRAME_VERSION;
  frame[1] = head.length >>> 8;
  frame[2] = head.length & 0xff;
  frame.set(head, BINARY_PREFIX);
  frame.set(payload, BINARY_PREFIX + head.length);
  return frame;
}

/** Decodes a server → client binary frame (a `message`). Never throws. */
export function decodeServerBinaryFrame(bytes: Uint8Array): DecodeResult<BinaryMessage> {
  return decodeBinaryFrame(bytes, 'message', validateServerEnvelope as (value: unknown) => DecodeResult<BinaryMessage>);
}
