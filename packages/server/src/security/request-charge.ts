import type { IncomingMessage } from 'node:http';
import type { ClientAddressResolver } from './client-address';
import type { RateLimiter, RateRule } from './rate-limiter';

/** What to answer a request that will not be served. */
export interface Refusal {
  readonly status: number;
  readonly reason: string;
  readonly retryAfter?: number | undefined;
}

/** Charges a request that will be refused anyway to its address's connection bucket. */
export type ChargeRequest = (req: IncomingMessage, refusal: Refusal) => Promise<Refusal>;

/**
 * Requests the server answers without admitting them (an upgrade for a path it does not serve)
 * still cost their address a connection attempt: otherwise they would be a free way to make the
 * server work. Past the limit the answer becomes 429 with `Retry-After`.
 */
export function createRequestCharge(options: {
  readonly resolveAddress: ClientAddressResolver;
  readonly rateLimiter: RateLimiter;
  readonly connectionRule: RateRule | false;
}): ChargeRequest {
  return async (req, refusal) => {
    if (!options.connectionRule) return refusal;
    const address = options.resolveAddress(req);
    const decision = await options.rateLimiter.consume(`connect:${address}`, options.connectionRule);
    if (decision.allowed) return refusal;
    return {
      status: 429,
      reason: 'too many connection attempts',
      retryAfter: Math.max(1, Math.ceil(decision.retryAfter / 1000)),
    };
  };
}
