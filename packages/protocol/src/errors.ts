/** Options of {@link RealtimeError}. */
export interface RealtimeErrorOptions {
  /** The underlying error, if any. */
  readonly cause?: unknown | undefined;
  /** For `rate_limited`: ms until a retry can succeed. */
  readonly retryAfter?: number | undefined;
}

/**
 * The one error class of Oxidite Realtime. `code` is an `ErrorCode` value (or an application's
 * own code passed through an RPC `error`), so callers branch on data, not on message text.
 */
export class RealtimeError extends Error {
  /** Machine-readable code, e.g. `forbidden` or `timeout`. */
  readonly code: string;
  /** For `rate_limited`: ms until a retry can succeed. */
  readonly retryAfter: number | undefined;

  constructor(code: string, message: string, options: RealtimeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RealtimeError';
    this.code = code;
    this.retryAfter = options.retryAfter;
  }
}

/** Whether `value` is a {@link RealtimeError} (also across bundled copies of this package). */
export function isRealtimeError(value: unknown): value is RealtimeError {
  return (
    value instanceof RealtimeError || (value instanceof Error && value.name === 'RealtimeError' && 'code' in value)
  );
}
