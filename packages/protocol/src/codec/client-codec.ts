import type { ClientEnvelope } from '../envelopes/client-envelopes';
import { validateClientEnvelope } from './client-envelope-guard';
import type { DecodeOptions, DecodeResult } from './decode-result';
import { type BinaryPublish, decodeBinaryFrame, decodeTextFrame } from './frame';
import { topLevelRequestId } from './top-level-id';

/**
 * Client → server decoding, validated by the hand-written guard of `client-envelope-guard.ts`
 * (the zod schemas' constraints, without zod's cost on every inbound frame).
 */

/**
 * Decodes a client → server text frame. Never throws: bad input gives a typed {@link DecodeError}.
 * @example
 * const result = decodeClientEnvelope(text);
 * if (!result.ok) return sendError(result.error);
 */
export function decodeClientEnvelope(text: string, options: DecodeOptions = {}): DecodeResult<ClientEnvelope> {
  return decodeTextFrame(text, options, validateClientEnvelope<ClientEnvelope>, topLevelRequestId);
}

/** Decodes a client → server binary frame (a `publish`). Never throws. */
export function decodeClientBinaryFrame(bytes: Uint8Array): DecodeResult<BinaryPublish> {
  return decodeBinaryFrame(bytes, 'publish', validateClientEnvelope<BinaryPublish>, topLevelRequestId);
}
