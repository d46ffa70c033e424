import type { ClientEnvelope } from '../envelopes/client-envelopes';
import type { ServerEnvelope } from '../envelopes/server-envelopes';
import type { DecodeResult, ServerDecodeOptions } from './decode-result';
import { decodeTextFrame } from './frame';
import { validateServerEnvelope } from './server-envelope-guard';

/**
 * Text frames: one JSON envelope each, checked by the hand-written guards of the validator kit:
 * server → client in `server-envelope-guard.ts` (no zod in browser bundles), client → server in
 * `client-envelope-guard.ts` (no zod on the server's inbound path).
 */

export { decodeClientEnvelope } from './client-codec';

const validateInPlace = (value: unknown) => validateServerEnvelope(value, true);

/** Decodes a server → client text frame. Never throws. */
export function decodeServerEnvelope(text: string, options: ServerDecodeOptions = {}): DecodeResult<ServerEnvelope> {
  return decodeTextFrame(text, options, options.inPlace ? validateInPlace : validateServerEnvelope);
}

/** Encodes any envelope as a text frame. */
export function encodeEnvelope(envelope: ClientEnvelope | ServerEnvelope): string {
  return JSON.stringify(envelope);
}
