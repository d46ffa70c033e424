import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigError, describeValue, problemsOf } from './config-error';
import { type HubConfig, HubConfigSchema } from './schema';

/** Config files looked for in the working directory, in order, when no path is given. */
export const CONFIG_FILES = ['oxidite.config.json', 'oxidite.config.yaml', 'oxidite.config.yml'] as const;

/**
 * The config used when there is no file: every topic of one or two segments (`news`, `chat:lobby`)
 * exists with any JSON payload, so the README's two commands work. Declare topics for production.
 */
export const DEFAULT_CONFIG = { topics: { '{channel}': {}, '{namespace}:{channel}': {} } } as const;

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Parses and validates a config document (already read), applying the environment's overrides. */
export function parseConfig(document: unknown, source: string, env: NodeJS.ProcessEnv = {}): HubConfig {
  if (!isObject(document)) {
    throw new ConfigError(source, [{ path: '(root)', expected: 'an object', got: describeValue(document) }]);
  }
  const withEnv: Record<string, unknown> = { ...document };
  if (env['PORT'] !== undefined) withEnv['port'] = /^\d+$/.test(env['PORT']) ? Number(env['PORT']) : env['PORT'];
  if (env['HOST']) withEnv['host'] = env['HOST'];
  if (env['OXIDITE_DATA_DIR']) withEnv['dataDir'] = env['OXIDITE_DATA_DIR'];
  const secret = env['OXIDITE_JWT_SECRET'];
  if (secret) {
    const auth = isObject(withEnv['auth']) ? withEnv['auth'] : {};
    const jwt = isObject(auth['jwt']) ? auth['jwt'] : {};
    withEnv['auth'] = { ...auth, jwt: { ...jwt, secret } };
  }
  const result = HubConfigSchema.safeParse(withEnv, { reportInput: true });
  if (!result.success) throw new ConfigError(source, problemsOf(result.error.issues));
  return result.data;
}

/** Reads the config file at `file` (JSON, or YAML by extension), or the defaults when `file` is undefined. */
export function loadConfig(
  file: string | undefined,
  env: NodeJS.ProcessEnv = {},
): { config: HubConfig; source: string } {
  const found = file ?? CONFIG_FILES.find((name) => existsSync(name));
  if (found === undefined) return { config: parseConfig(DEFAULT_CONFIG, '(defaults)', env), source: '(defaults)' };
  let text: string;
  try {
    text = readFileSync(found, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError(found, [{ path: '(file)', expected: 'a readable file', got: reason }]);
  }
  let document: unknown;
  try {
    document = /\.ya?ml$/i.test(found) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    const kind = /\.ya?ml$/i.test(found) ? 'YAML' : 'JSON';
    throw new ConfigError(found, [
      { path: '(file)', expected: `valid ${kind}`, got: (error as Error).message.split('\n')[0] ?? 'a syntax error' },
    ]);
  }
  return { config: parseConfig(document, found, env), source: path.resolve(found) };
}
