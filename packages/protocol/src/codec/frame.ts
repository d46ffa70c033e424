import type { Publish } from '../envelopes/client-envelopes';
import type { Message } from '../envelopes/server-envelopes';
import {
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_LENGTH,
  decodeFailure,
  type DecodeOptions,
  type DecodeResult,
} from './decode-result';
import { exceedsJsonDepth } from './json-depth';
import { utf8Decode } from './utf8';

/**
 * Frame handling shared by both directions, with no schema library: reading a text or binary frame
 * into a value, and the envelope-level checks (`type`, request `id`) made before the fields.
 * The server → client path (browser bundles) is built from this and `server-envelope-guard.ts`
 * only, so it must never import zod or the envelope schema modules at runtime.
 */

/** Checks an envelope's fields once its `type` is known to be in the table. */
export type EnvelopeValidator<T> = (value: unknown) => DecodeResult<T>;

/**
 * Finds the request id of a text too deep to parse (`topLevelRequestId`), so the refusal can
 * answer it. Only the server needs one: a client ignores the id of a frame it drops, and the
 * browser bundle is spared the scanner.
 */
export type DeepIdFinder = (text: string) => number | undefined;

const noId: DeepIdFinder = () => undefined;

/** Version byte of binary frames; the layout is described in `binary-codec.ts`. */
export const BINARY_FRAME_VERSION = 1;
/** Bytes before a binary frame's header: the version and the header's length. */
export const BINARY_PREFIX = 3;

/** A `publish` whose data is raw bytes. */
export type BinaryPublish = Omit<Publish, 'data'> & { data: Uint8Array };
/** A `message` whose data is raw bytes. */
export type BinaryMessage = Omit<Message, 'data'> & { data: Uint8Array };

/** The request id of an envelope, if it is usable: a non-negative safe integer. */
export function requestIdOf(value: Record<string, unknown>): number | undefined {
  const id = value.id;
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : undefined;
}

/**
 * The failure for a value that is not an object envelope of one of `types`, or `undefined` when
 * it is one (the caller then checks its fields).
 */
export function envelopeFailure(value: unknown, types: object): DecodeResult<never> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return decodeFailure('invalid', 'envelope must be a JSON object');
  }
  const record = value as Record<string, unknown>;
  const type = record.type;
  if (typeof type !== 'string' || !Object.hasOwn(types, type)) {
    const shown = typeof type === 'string' ? JSON.stringify(type.slice(0, 32)) : 'missing';
    return decodeFailure('unknown_type', `unknown envelope type: ${shown}`, requestIdOf(record));
  }
  return undefined;
}

/** Decodes a text frame: length and depth limits, JSON, then `validate`. Never throws. */
export function decodeTextFrame<T>(
  text: string,
  options: DecodeOptions,
  validate: EnvelopeValidator<T>,
  findId: DeepIdFinder = noId,
): DecodeResult<T> {
  const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
  if (text.length > maxLength) return decodeFailure('too_large', `frame longer than ${maxLength} characters`);
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  if (exceedsJsonDepth(text, maxDepth)) {
    return decodeFailure('too_large', `JSON nested deeper than ${maxDepth} levels`, findId(text));
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return decodeFailure('malformed', 'frame is not valid JSON');
  }
  return validate(value);
}

/**
 * Decodes a binary frame carrying an `allowed` envelope: the header's JSON with the payload bytes
 * as its `data`, then `validate`. Never throws.
 */
export function decodeBinaryFrame<T>(
  bytes: Uint8Array,
  allowed: string,
  validate: EnvelopeValidator<T>,
  findId: DeepIdFinder = noId,
): DecodeResult<T> {
  if (bytes.length < BINARY_PREFIX) return decodeFailure('malformed', 'binary frame shorter than its prefix');
  if (bytes[0] !== BINARY_FRAME_VERSION) return decodeFailure('malformed', `unknown binary frame version ${bytes[0]}`);
  const length = ((bytes[1] as number) << 8) | (bytes[2] as number);
  if (BINARY_PREFIX + length > bytes.length)
    return decodeFailure('malformed', 'binary frame header overruns the frame');
  let text: string;
  try {
    text = utf8Decode(bytes.subarray(BINARY_PREFIX, BINARY_PREFIX + length));
  } catch {
    return decodeFailure('malformed', 'binary frame header is not UTF-8');
  }
  if (exceedsJsonDepth(text, DEFAULT_MAX_DEPTH)) {
    return decodeFailure('too_large', 'binary frame header nested too deeply', findId(text));
  }
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
    return decodeFailure('unknown_type', `binary frames carry only "${allowed}" envelopes`, requestIdOf(record));
  }
  return validate({ ...record, data: bytes.subarray(BINARY_PREFIX + length) });
}
