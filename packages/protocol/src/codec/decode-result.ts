/** Why a frame could not be decoded. Mirrors the matching `ErrorCode` values. */
export type DecodeErrorCode = 'malformed' | 'unknown_type' | 'invalid' | 'too_large';

/** A typed decode failure: the server answers it with an `error` envelope. */
export interface DecodeError {
  readonly code: DecodeErrorCode;
  /** Human-readable; for `invalid`, names the path of the first issue. */
  readonly message: string;
  /** The request id, when the frame was JSON with a usable `id`, so the error can answer it. */
  readonly id?: number | undefined;
}

/** The result of decoding a frame: never an exception. */
export type DecodeResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: DecodeError };

/** Limits applied while decoding. */
export interface DecodeOptions {
  /** Longest accepted text, in UTF-16 code units. @default 1_048_576 */
  readonly maxLength?: number | undefined;
  /** Deepest accepted nesting of objects and arrays. @default 32 */
  readonly maxDepth?: number | undefined;
}

/** Options of `decodeServerEnvelope`. */
export interface ServerDecodeOptions extends DecodeOptions {
  /**
   * Check the envelope on the parsed object itself instead of copying the schema's keys out of
   * it: one object fewer per frame, and keys the schema does not know stay on the result. For a
   * reader that takes only the fields it knows, as `@oxidite/client` does (issue #18 goal 7).
   * @default false
   */
  readonly inPlace?: boolean | undefined;
}

export const DEFAULT_MAX_LENGTH = 1_048_576;
/**
 * The deepest JSON nesting the decoders accept by default (`DecodeOptions.maxDepth`): a server
 * must not send a client anything deeper, or the client drops it.
 */
export const DEFAULT_MAX_DEPTH = 32;

export function decodeFailure(code: DecodeErrorCode, message: string, id?: number): DecodeResult<never> {
  return { ok: false, error: id === undefined ? { code, message } : { code, message, id } };
}
