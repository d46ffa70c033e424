#!/usr/bin/env node
/**
 * `npx @oxidite/hub [--config file] [--print-config] [--hash-key key]`: starts a hub from
 * `oxidite.config.json` (or .yaml) in the working directory, the defaults without one.
 * Exit codes: 0 after a graceful stop, 1 on a start failure, 2 on an invalid config or argument.
 */
import { hashApiKey } from './api/api-keys';
import { ConfigError } from './config/config-error';
import { loadConfig } from './config/load-config';
import { hubEnvOf, maskedConfig } from './config/mask';
import { hubTopics, startHub } from './hub';
import { createJsonLogger, LOG_LEVELS, type LogLevel } from './log';

const USAGE = `usage: npx @oxidite/hub [options]
  --config, -c FILE   the config file (default: oxidite.config.json, .yaml or .yml in this directory)
  --print-config      print the effective config, secrets masked, and exit
  --hash-key KEY      print the sha256 digest to store for an API key, and exit
  --help, -h          print this, and exit
Environment: PORT, HOST, OXIDITE_DATA_DIR, OXIDITE_ORIGINS, OXIDITE_JWT_SECRET, OXIDITE_API_KEY, REDIS_URL, DATABASE_URL, LOG_LEVEL.
`;

interface Args {
  readonly help: boolean;
  readonly config: string | undefined;
  readonly printConfig: boolean;
  readonly hashKey: string | undefined;
}

/** The value after an option; a missing or empty one is an error (hashing '' or reading no file would hide it). */
function optionValue(argv: readonly string[], at: number, expected: string): string {
  const option = String(argv[at]);
  const value = argv[at + 1];
  if (value === undefined || value === '') {
    throw new ConfigError('(arguments)', [{ path: option, expected, got: 'nothing' }]);
  }
  return value;
}

function parseArgs(argv: readonly string[]): Args {
  let config: string | undefined;
  let printConfig = false;
  let hashKey: string | undefined;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') help = true;
    else if (arg === '--print-config') printConfig = true;
    else if (arg === '--config' || arg === '-c') config = optionValue(argv, i++, 'a config file: --config <file>');
    else if (arg === '--hash-key') hashKey = optionValue(argv, i++, 'an API key to hash: --hash-key <key>');
    else
      throw new ConfigError('(arguments)', [
        {
          path: String(arg),
          expected: '--config <file>, --print-config, --hash-key <key> or --help',
          got: String(arg),
        },
      ]);
  }
  return { help, config, printConfig, hashKey };
}

/** `LOG_LEVEL` (default `info`); a ConfigError for anything but a level, as for every other mistake. */
function logLevelOf(value: string | undefined): LogLevel {
  if (value === undefined || value === '') return 'info';
  if ((LOG_LEVELS as readonly string[]).includes(value)) return value as LogLevel;
  throw new ConfigError('environment', [
    { path: 'LOG_LEVEL', expected: `one of ${LOG_LEVELS.join(', ')}`, got: JSON.stringify(value) },
  ]);
}

async function main(): Promise<number> {
  let args: Args;
  let loaded: ReturnType<typeof loadConfig>;
  let level: LogLevel;
  try {
    level = logLevelOf(process.env['LOG_LEVEL']);
    args = parseArgs(process.argv.slice(2));
    if (args.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    if (args.hashKey !== undefined) {
      process.stdout.write(`${hashApiKey(args.hashKey)}\n`);
      return 0;
    }
    loaded = loadConfig(args.config, process.env);
    if (args.printConfig) hubTopics(loaded.config, loaded.source);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 2;
  }
  const logger = createJsonLogger(process.stdout, level);
  const env = hubEnvOf(process.env);
  if (args.printConfig) {
    process.stdout.write(`${JSON.stringify(maskedConfig(loaded.config, env), null, 2)}\n`);
    return 0;
  }
  let hub: Awaited<ReturnType<typeof startHub>>;
  try {
    hub = await startHub({ config: loaded.config, env, logger, source: loaded.source });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    logger.error('hub: failed to start', { error: String(error) });
    return 1;
  }
  logger.info('hub: config', { source: loaded.source });
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      logger.info('hub: stopping', { signal });
      hub.close().then(
        () => resolve(0),
        (error: unknown) => {
          logger.error('hub: stop failed', { error: String(error) });
          resolve(1);
        },
      );
    };
    process.once('SIGTERM', () => stop('SIGTERM')).once('SIGINT', () => stop('SIGINT'));
  });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exitCode = 1;
  },
);
