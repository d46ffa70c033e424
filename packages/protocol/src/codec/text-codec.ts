import * as z from 'zod/mini';
import { clientEnvelopeSchemas, type ClientEnvelope } from '../envelopes/client-envelopes';
import { serverEnvelopeSchemas, type ServerEnvelope } from '../envelopes/server-envelopes';
import {
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_LENGTH,
  decodeFailure,
  type DecodeOptions,
  type DecodeResult,
} from './decode-result';
import { exceedsJsonDepth } from './json-depth';

type SchemaTable = Record<string, z.ZodMiniType>;

function requestIdOf(value: Record<string, unknown>): number | undefined {
  const id = value.id;
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : undefined;
}

function pathOf(issue: z.core.$ZodIssue): string {
  return issue.path
    .map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`))
    .join('')
    .replace(/^\./, '');
}

/** Validates an already-parsed value against the envelope table. */
export function validateEnvelope<T>(table: SchemaTable, value: unknown): DecodeResult<T> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return decodeFailure('invalid', 'envelope must be a JSON object');
  }
  const record = value as Record<string, unknown>;
  const id = requestIdOf(record);
  const type = record.type;
  if (typeof type !== 'string' || !Object.hasOwn(table, type)) {
    const shown = typeof type === 'string' ? JSON.stringify(type.slice(0, 32)) : 'missing';
    return decodeFailure('unknown_type', `unknown envelope type: ${shown}`, id);
  }
  const result = z.safeParse(table[type] as z.ZodMiniType, value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue ? pathOf(issue) : '';
    const message = issue ? `${type}${path ? `.${path}` : ''}: ${issue.message}` : `${type}: invalid`;
    return decodeFailure('invalid', message.slice(0, 512), id);
  }
  return { ok: true, value: result.data as T };
}

function createTextDecoder<T>(table: SchemaTable) {
  return (text: string, options: DecodeOptions = {}): DecodeResult<T> => {
    const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
    if (text.length > maxLength) return decodeFailure('too_large', `frame longer than ${maxLength} characters`);
    if (exceedsJsonDepth(text, options.maxDepth ?? DEFAULT_MAX_DEPTH)) {
      return decodeFailure('too_large', `JSON nested deeper than ${options.maxDepth ?? DEFAULT_MAX_DEPTH} levels`);
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return decodeFailure('malformed', 'frame is not valid JSON');
    }
    return validateEnvelope<T>(table, value);
  };
}

/**
 * Decodes a client → server text frame. Never throws: bad input gives a typed {@link DecodeError}.
 * @example
 * const result = decodeClientEnvelope(text);
 * if (!result.ok) return sendError(result.error);
 */
export const decodeClientEnvelope: (text: string, options?: DecodeOptions) => DecodeResult<ClientEnvelope> =
  createTextDecoder<ClientEnvelope>(clientEnvelopeSchemas);

/** Decodes a server → client text frame. Never throws. */
export const decodeServerEnvelope: (text: string, options?: DecodeOptions) => DecodeResult<ServerEnvelope> =
  createTextDecoder<ServerEnvelope>(serverEnvelopeSchemas);

/** Encodes any envelope as a text frame. */
export function encodeEnvelope(envelope: ClientEnvelope | ServerEnvelope): string {
  return JSON.stringify(envelope);
}
