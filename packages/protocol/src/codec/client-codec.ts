import * as z from 'zod/mini';
import { type ClientEnvelope, clientEnvelopeSchemas } from '../envelopes/client-envelopes';
import { decodeFailure, type DecodeOptions, type DecodeResult } from './decode-result';
import { type BinaryPublish, decodeBinaryFrame, decodeTextFrame, envelopeFailure, requestIdOf } from './frame';
import { topLevelRequestId } from './top-level-id';

/**
 * Client → server decoding, validated by the zod schemas (the server wants their strictness).
 * Kept apart from the server → client decoders so a browser bundle never reaches zod.
 */

type SchemaTable = Readonly<Record<string, z.ZodMiniType>>;

function pathOf(issue: z.core.$ZodIssue): string {
  return issue.path
    .map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`))
    .join('')
    .replace(/^\./, '');
}

/** Validates an already-parsed value against a table of envelope schemas, by `type`. */
export function validateEnvelope<T>(table: SchemaTable, value: unknown): DecodeResult<T> {
  const failed = envelopeFailure(value, table);
  if (failed) return failed;
  const record = value as Record<string, unknown>;
  const type = record.type as string;
  const result = z.safeParse(table[type] as z.ZodMiniType, value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue ? pathOf(issue) : '';
    const message = issue ? `${type}${path ? `.${path}` : ''}: ${issue.message}` : `${type}: invalid`;
    return decodeFailure('invalid', message.slice(0, 512), requestIdOf(record));
  }
  return { ok: true, value: result.data as T };
}

const validateClientEnvelope = (value: unknown) => validateEnvelope<ClientEnvelope>(clientEnvelopeSchemas, value);

/**
 * Decodes a client → server text frame. Never throws: bad input gives a typed {@link DecodeError}.
 * @example
 * const result = decodeClientEnvelope(text);
 * if (!result.ok) return sendError(result.error);
 */
export function decodeClientEnvelope(text: string, options: DecodeOptions = {}): DecodeResult<ClientEnvelope> {
  return decodeTextFrame(text, options, validateClientEnvelope, topLevelRequestId);
}

/** Decodes a client → server binary frame (a `publish`). Never throws. */
export function decodeClientBinaryFrame(bytes: Uint8Array): DecodeResult<BinaryPublish> {
  return decodeBinaryFrame(
    bytes,
    'publish',
    (value) => validateEnvelope<BinaryPublish>(clientEnvelopeSchemas, value),
    topLevelRequestId,
  );
}
