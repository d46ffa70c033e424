import { type ErrorEnvelope, RealtimeError } from '@oxidite/protocol';

/**
 * The server's `error` envelope as the `RealtimeError` a request, a subscription or the `error`
 * event gets. It picks the fields it knows: the envelope is checked in place, so it may carry
 * keys from a newer server.
 */
export function serverError(envelope: ErrorEnvelope): RealtimeError {
  return new RealtimeError(envelope.code, envelope.message, { retryAfter: envelope.retryAfter });
}
