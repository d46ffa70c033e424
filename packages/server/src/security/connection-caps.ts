import type { SecurityOptions } from './security-options';

/** Default open connections per client address: 1 % of the production capacity. */
export const DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 100;
/** Default open connections per authenticated user: tabs and devices together. */
export const DEFAULT_MAX_CONNECTIONS_PER_USER = 20;

/** The per-address and per-user caps in force. */
export interface ConnectionCaps {
  readonly maxPerAddress: number;
  readonly maxPerUser: number;
}

/**
 * The caps with their defaults, and a warning for each one that is at or above `maxConnections`:
 * such a cap does not stop one address or one user from filling the server, so that every other
 * client gets 503.
 */
export function resolveConnectionCaps(
  security: SecurityOptions,
  maxConnections: number,
  warn: (message: string) => void,
): ConnectionCaps {
  const caps = {
    maxPerAddress: security.maxConnectionsPerAddress ?? DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
    maxPerUser: security.maxConnectionsPerUser ?? DEFAULT_MAX_CONNECTIONS_PER_USER,
  };
  const names = { maxPerAddress: 'maxConnectionsPerAddress', maxPerUser: 'maxConnectionsPerUser' } as const;
  for (const key of ['maxPerAddress', 'maxPerUser'] as const) {
    if (caps[key] >= maxConnections) {
      warn(
        `security.${names[key]} (${caps[key]}) is at or above maxConnections (${maxConnections}): ` +
          'one client can fill the server and lock everyone else out',
      );
    }
  }
  return caps;
}
