import type { Admit, ClientAddressResolver } from '../security';
import type { Log } from './logger';

/**
 * Logs each refused connection request (`connection.refused`) on its way back to the transport:
 * one wrapper around the one admission, so both transports log alike. At info, not warn: a
 * refusal is the server working (an expired token, a full server), and a flood of them must not
 * page anyone by itself; `connections_refused_total` is the rate to alert on.
 */
export function logRefusals(admit: Admit, resolveAddress: ClientAddressResolver, log: Log): Admit {
  return async (req) => {
    const verdict = await admit(req);
    if (!verdict.ok) {
      log.info('connection.refused', 'connection refused', {
        status: verdict.status,
        closeCode: verdict.closeCode,
        reason: verdict.reason,
        address: resolveAddress(req),
        path: req.url,
      });
    }
    return verdict;
  };
}
