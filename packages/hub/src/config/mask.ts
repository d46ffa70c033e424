import { hashApiKey } from '../api/api-keys';
import type { HubConfig } from './schema';

/** The environment the hub reads besides its config file. */
export interface HubEnv {
  /** `REDIS_URL`: the Redis broker, rate limiter and analytics store. */
  readonly redisUrl: string | undefined;
  /** `DATABASE_URL`: PostgreSQL notifications. */
  readonly databaseUrl: string | undefined;
  /** `OXIDITE_API_KEY`: one key with every scope, for development (hashed at once). */
  readonly apiKey: string | undefined;
}

/** Reads {@link HubEnv} from the process environment. */
export function hubEnvOf(env: NodeJS.ProcessEnv): HubEnv {
  return {
    redisUrl: env['REDIS_URL'] || undefined,
    databaseUrl: env['DATABASE_URL'] || undefined,
    apiKey: env['OXIDITE_API_KEY'] || undefined,
  };
}

const MASK = '********';

function maskUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = MASK;
    return parsed.toString();
  } catch {
    return MASK;
  }
}

/** Enough of a digest to tell keys apart (and match `--hash-key`'s output), not enough to matter. */
const shortDigest = (sha256: string) => `${sha256.slice(0, 8)}…`;

/**
 * The effective config for `--print-config`: secrets replaced, every API key shown the same way
 * (name, digest prefix, scopes, wherever it came from), and what the environment switched on.
 */
export function maskedConfig(config: HubConfig, env: HubEnv): Record<string, unknown> {
  const jwt = config.auth.jwt;
  return {
    ...config,
    apiKeys: [
      ...config.apiKeys.map((key) => ({ ...key, sha256: shortDigest(key.sha256) })),
      ...(env.apiKey
        ? [{ name: 'OXIDITE_API_KEY', sha256: shortDigest(hashApiKey(env.apiKey)), scopes: ['admin'] }]
        : []),
    ],
    auth: { ...config.auth, ...(jwt ? { jwt: { ...jwt, ...(jwt.secret ? { secret: MASK } : {}) } } : {}) },
    environment: {
      REDIS_URL: maskUrl(env.redisUrl) ?? 'unset: memory broker, one process',
      DATABASE_URL: maskUrl(env.databaseUrl) ?? 'unset: SQLite notifications in dataDir',
    },
  };
}
