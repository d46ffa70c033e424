import { type Admit, type ClientAddressResolver, thenMaybe } from '../security';
import type { Log } from './logger';

/** A refused connection request, as the log and the inspector see it. */
export interface RefusalRecord {
  readonly status: number;
  readonly closeCode: number | undefined;
  readonly reason: string;
  readonly address: string;
  /** The path only: a query may hold a token (`access_token`), which must never be recorded. */
  readonly path: string;
}

/**
 * Reports each refused connection request on its way back to the transport: one wrapper around
 * the one admission, so both transports report alike, to every consumer (log, inspector).
 */
export function watchRefusals(
  admit: Admit,
  resolveAddress: ClientAddressResolver,
  report: (refusal: RefusalRecord) => void,
): Admit {
  return (req) =>
    thenMaybe(admit(req), (verdict) => {
      if (!verdict.ok) {
        report({
          status: verdict.status,
          closeCode: verdict.closeCode,
          reason: verdict.reason,
          address: resolveAddress(req),
          path: (req.url ?? '').split('?')[0] ?? '',
        });
      }
      return verdict;
    });
}

/**
 * Logs a refusal (`connection.refused`) at info, not warn: a refusal is the server working (an
 * expired token, a full server), and a flood of them must not page anyone by itself;
 * `connections_refused_total` is the rate to alert on.
 */
export function logRefusal(log: Log, refusal: RefusalRecord): void {
  log.info('connection.refused', 'connection refused', { ...refusal });
}
