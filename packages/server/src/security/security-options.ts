import type { ProxyHeader, TrustProxy } from './client-address';
import type { ConnectionCounter } from './connection-counter';
import type { OriginPolicy } from './origin';
import type { RateLimiter, RateRule } from './rate-limiter';

/** Rate limits, as token buckets. `false` turns one off. */
export interface RateLimits {
  /**
   * New connections (WebSocket upgrades and SSE requests) per client address, and the requests the
   * server answers without serving them (stray upgrades, 405, `/events` without a topic, an
   * unknown path of `listen()`'s server).
   * @default { capacity: 100, refillPerSecond: 20 }
   */
  readonly connectionsPerAddress?: RateRule | false | undefined;
  /** Inbound frames per connection (any frame, valid or not). @default { capacity: 200, refillPerSecond: 50 } */
  readonly messagesPerConnection?: RateRule | false | undefined;
  /** Client publishes per principal (per address when anonymous), across the whole connection set. @default { capacity: 100, refillPerSecond: 20 } */
  readonly publishesPerUser?: RateRule | false | undefined;
  /**
   * Subscribe requests per connection: bounds the churn of unique topic names one client can make
   * the broker create and release. The burst covers resubscribing `maxSubscriptions` topics after a
   * reconnect. @default { capacity: 100, refillPerSecond: 10 }
   */
  readonly subscribesPerConnection?: RateRule | false | undefined;
}

/** The security settings of a server. Every default is the safe one. */
export interface SecurityOptions {
  /**
   * Allowed `Origin`s: `'same-origin'` (the Origin's host and port must equal the request's Host;
   * the scheme is not compared), an
   * allowlist of exact origins (`https://app.example.com`, wildcard subdomains `https://*.example.com`),
   * or `'*'` (any: unsafe with cookie authentication).
   * @default 'same-origin'
   */
  readonly origins?: OriginPolicy | undefined;
  /** Accept requests without an `Origin` header (non-browser clients; browsers always send one). @default true */
  readonly allowMissingOrigin?: boolean | undefined;
  /**
   * Which proxies to believe about the client address: `false` (the socket address), a list of
   * proxy addresses/CIDRs/presets (`['10.0.0.5']`, `['loopback']`: the safe form), `true`, or a hop
   * count (only where clients cannot reach the port without the proxy: a direct client would name
   * its own address). Forwarding headers are ignored otherwise, so a client cannot dodge rate
   * limits by sending them. @default false
   */
  readonly trustProxy?: TrustProxy | undefined;
  /**
   * The one header your proxy writes the client address into; the other is never read, so a client
   * cannot slip one past a proxy that only writes the other. @default 'x-forwarded-for'
   */
  readonly proxyHeader?: ProxyHeader | undefined;
  /** Token-bucket rate limits. */
  readonly rateLimits?: RateLimits | undefined;
  /** Where shared buckets (connections per address, publishes per user) live. @default in memory (per process) */
  readonly rateLimiter?: RateLimiter | undefined;
  /**
   * Where the open connections behind `maxConnectionsPerAddress` and `maxConnectionsPerUser` are
   * counted; share one across nodes (`createRedisConnectionCounter`) to hold the caps across them.
   * @default in memory (per process)
   */
  readonly connectionCounter?: ConnectionCounter | undefined;
  /**
   * Open connections per client address, so that one address cannot take the whole server (1 % of
   * the production `maxConnections`, 10 % of the development one). Raise it when many users share
   * an address (offices, carrier-grade NAT) and no proxy reports their own. @default 100
   */
  readonly maxConnectionsPerAddress?: number | undefined;
  /** Open connections per authenticated user (tabs and devices together). @default 20 */
  readonly maxConnectionsPerUser?: number | undefined;
  /** Rate-limited requests in a row after which the connection is closed with 4429. @default 20 */
  readonly abuseThreshold?: number | undefined;
}

/** Rate limits with defaults applied. */
export interface ResolvedRateLimits {
  readonly connectionsPerAddress: RateRule | false;
  readonly messagesPerConnection: RateRule | false;
  readonly publishesPerUser: RateRule | false;
  readonly subscribesPerConnection: RateRule | false;
}

/** The default rate limits. */
export const DEFAULT_RATE_LIMITS: ResolvedRateLimits = {
  connectionsPerAddress: { capacity: 100, refillPerSecond: 20 },
  messagesPerConnection: { capacity: 200, refillPerSecond: 50 },
  publishesPerUser: { capacity: 100, refillPerSecond: 20 },
  subscribesPerConnection: { capacity: 100, refillPerSecond: 10 },
};

/** Applies the defaults. */
export function resolveRateLimits(limits: RateLimits | undefined): ResolvedRateLimits {
  return {
    connectionsPerAddress: limits?.connectionsPerAddress ?? DEFAULT_RATE_LIMITS.connectionsPerAddress,
    messagesPerConnection: limits?.messagesPerConnection ?? DEFAULT_RATE_LIMITS.messagesPerConnection,
    publishesPerUser: limits?.publishesPerUser ?? DEFAULT_RATE_LIMITS.publishesPerUser,
    subscribesPerConnection: limits?.subscribesPerConnection ?? DEFAULT_RATE_LIMITS.subscribesPerConnection,
  };
}
