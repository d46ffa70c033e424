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

/** The effective config for `--print-config`: secrets replaced, digests shortened. */
export function maskedConfig(config: HubConfig, env: HubEnv): Record<string, unknown> {
  const jwt = config.auth.jwt;
  return {
    ...config,
    apiKeys: [
      ...config.apiKeys.map((key) => ({ ...key, sha256: `${key.sha256.slice(0, 8)}…` })),
      ...(env.apiKey ? [{ name: 'OXIDITE_API_KEY', sha256: MASK, scopes: ['admin'] }] : []),
    ],
    auth: { ...config.auth, ...(jwt ? { jwt: { ...jwt, ...(jwt.secret ? { secret: MASK } : {}) } } : {}) },
    env: { REDIS_URL: maskUrl(env.redisUrl), DATABASE_URL: maskUrl(env.databaseUrl) },
  };
}
