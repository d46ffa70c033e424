import { ErrorCode, isRealtimeError, RealtimeError } from '@oxidite/protocol';

/** The package's errors are the client's: a `RealtimeError` as is, anything else wrapped as `internal`. */
export function asRealtimeError(error: unknown, what: string): RealtimeError {
  return isRealtimeError(error) ? error : new RealtimeError(ErrorCode.INTERNAL, `${what} failed`, { cause: error });
}
