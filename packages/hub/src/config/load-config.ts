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

/** `OXIDITE_ORIGINS`: `same-origin`, `*`, or origins separated by commas. */
function originsOf(value: string): string | string[] {
  const trimmed = value.trim();
  if (trimmed === 'same-origin' || trimmed === '*') return trimmed;
  return trimmed
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '');
}

/**
 * The document with the environment's values applied: over the file's (`envFirst`, what the hub
 * runs with) or only where the file has none (so that the file's own values are checked too).
 */
function applyEnv(document: Record<string, unknown>, env: NodeJS.ProcessEnv, envFirst: boolean) {
  const out: Record<string, unknown> = { ...document };
  const set = (target: Record<string, unknown>, key: string, value: unknown) => {
    if (envFirst || !(key in target)) target[key] = value;
  };
  if (env['PORT'] !== undefined) set(out, 'port', /^\d+$/.test(env['PORT']) ? Number(env['PORT']) : env['PORT']);
  if (env['HOST']) set(out, 'host', env['HOST']);
  if (env['OXIDITE_DATA_DIR']) set(out, 'dataDir', env['OXIDITE_DATA_DIR']);
  if (env['OXIDITE_ORIGINS']) set(out, 'origins', originsOf(env['OXIDITE_ORIGINS']));
  const secret = env['OXIDITE_JWT_SECRET'];
  if (secret) {
    const auth = isObject(out['auth']) ? out['auth'] : {};
    const jwt = { ...(isObject(auth['jwt']) ? auth['jwt'] : {}) };
    set(jwt, 'secret', secret);
    out['auth'] = { ...auth, jwt };
  }
  return out;
}

/**
 * Parses and validates a config document (already read), applying the environment's overrides.
 * A value the environment replaces is still checked: the README promises every mistake of the
 * file at start, and a file that only works while `PORT` is set would fail the day it is not.
 */
export function parseConfig(document: unknown, source: string, env: NodeJS.ProcessEnv = {}): HubConfig {
  if (!isObject(document)) {
    throw new ConfigError(source, [{ path: '(root)', expected: 'an object', got: describeValue(document) }]);
  }
  const result = HubConfigSchema.safeParse(applyEnv(document, env, true), { reportInput: true });
  const fileFirst = HubConfigSchema.safeParse(applyEnv(document, env, false), { reportInput: true });
  const problems = [
    ...(fileFirst.success ? [] : problemsOf(fileFirst.error.issues)),
    ...(result.success ? [] : problemsOf(result.error.issues)),
  ];
  // Both runs report the mistakes the environment does not touch: each once.
  const byKey = new Map(problems.map((p) => [JSON.stringify([p.path, p.expected, p.got]), p]));
  const unique = [...byKey.values()];
  if (!result.success || unique.length > 0) throw new ConfigError(source, unique);
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
