import { clientEnvelopeSchemas, type Publish } from '../envelopes/client-envelopes';
import { serverEnvelopeSchemas, type Message } from '../envelopes/server-envelopes';
import { decodeFailure, DEFAULT_MAX_DEPTH, type DecodeResult } from './decode-result';
import { exceedsJsonDepth } from './json-depth';
import { utf8Decode, utf8Encode } from './utf8';
import { validateEnvelope } from './text-codec';

/**
 * Binary frames carry raw bytes without base64:
 *
 *   byte 0      format version (1)
 *   bytes 1–2   header length H, unsigned big-endian
 *   bytes 3…    H bytes of UTF-8 JSON: the envelope without `data`
 *   the rest    the payload bytes (the envelope's `data`)
 *
 * Only `publish` (client → server) and `message` (server → client) travel as binary frames.
 */
export const BINARY_FRAME_VERSION = 1;
const PREFIX = 3;
const MAX_HEADER = 0xffff;

/** A `publish` whose data is raw bytes. */
export type BinaryPublish = Omit<Publish, 'data'> & { data: Uint8Array };
/** A `message` whose data is raw bytes. */
export type BinaryMessage = Omit<Message, 'data'> & { data: Uint8Array };

/** Builds a binary frame from an envelope header and its payload bytes. */
export function encodeBinaryFrame(
  header: Omit<Publish, 'data'> | Omit<Message, 'data'>,
  payload: Uint8Array,
): Uint8Array {
  const head = utf8Encode(JSON.stringify(header));
  if (head.length > MAX_HEADER) throw new RangeError('binary frame header too large');
  const frame = new Uint8Array(PREFIX + head.length + payload.length);
  frame[0] = BINARY_FRAME_VERSION;
  frame[1] = head.length >>> 8;
  frame[2] = head.length & 0xff;
  frame.set(head, PREFIX);
  frame.set(payload, PREFIX + head.length);
  return frame;
}

function decodeBinary<T>(bytes: Uint8Array, table: Record<string, unknown>, allowed: string): DecodeResult<T> {
  if (bytes.length < PREFIX) return decodeFailure('malformed', 'binary frame shorter than its prefix');
  if (bytes[0] !== BINARY_FRAME_VERSION) return decodeFailure('malformed', `unknown binary frame version ${bytes[0]}`);
  const length = ((bytes[1] as number) << 8) | (bytes[2] as number);
  if (PREFIX + length > bytes.length) return decodeFailure('malformed', 'binary frame header overruns the frame');
  let text: string;
  try {
    text = utf8Decode(bytes.subarray(PREFIX, PREFIX + length));
  } catch {
    return decodeFailure('malformed', 'binary frame header is not UTF-8');
  }
  if (exceedsJsonDepth(text, DEFAULT_MAX_DEPTH))
    return decodeFailure('too_large', 'binary frame header nested too deeply');
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch {
    return decodeFailure('malformed', 'binary frame header is not valid JSON');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    return decodeFailure('invalid', 'binary frame header must be a JSON object');
  }
  const record = header as Record<string, unknown>;
  if (record.type !== allowed) {
    return decodeFailure('unknown_type', `binary frames carry only "${allowed}" envelopes`);
  }
  const withData = { ...record, data: bytes.subarray(PREFIX + length) };
  return validateEnvelope<T>(table as never, withData);
}

/** Decodes a client → server binary frame (a `publish`). Never throws. */
export function decodeClientBinaryFrame(bytes: Uint8Array): DecodeResult<BinaryPublish> {
  return decodeBinary<BinaryPublish>(bytes, clientEnvelopeSchemas, 'publish');
}

/** Decodes a server → client binary frame (a `message`). Never throws. */
export function decodeServerBinaryFrame(bytes: Uint8Array): DecodeResult<BinaryMessage> {
  return decodeBinary<BinaryMessage>(bytes, serverEnvelopeSchemas, 'message');
}
