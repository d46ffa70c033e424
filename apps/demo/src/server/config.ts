import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The demo server's settings, read once from the environment. */
export interface DemoConfig {
  /** TCP port on 127.0.0.1; 0 lets the OS pick a free one. From `PORT`. @default 3000 */
  readonly port: number;
  /** Directory of the SQLite notification file. From `DATA_DIR` (relative to the working directory). @default `<app>/.data` */
  readonly dataDir: string;
  /** HS256 key of the login tokens. From `DEMO_SECRET` (≥ 32 characters). @default 32 random bytes per process */
  readonly secret: string | Uint8Array;
  /** Whether the secret came from `DEMO_SECRET` (tokens then survive a restart). */
  readonly isSecretStable: boolean;
  /** Redis URL: when set, the broker is Redis, so several demo processes share rooms and inboxes. From `REDIS_URL`. */
  readonly redisUrl: string | undefined;
  /** Directory of the built page (index.html, app.js, style.css). */
  readonly publicDir: string;
}

/** The app directory: `dist/server.js` lives in `<app>/dist`. */
const APP_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Reads the configuration; throws a readable Error on a bad value. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): DemoConfig {
  const port = env.PORT === undefined || env.PORT === '' ? 3000 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`PORT must be an integer from 0 to 65535, got ${JSON.stringify(env.PORT)}`);
  }
  const secret = env.DEMO_SECRET || undefined;
  if (secret !== undefined && secret.length < 32) {
    throw new Error('DEMO_SECRET must be at least 32 characters (HS256 needs a 256-bit key)');
  }
  return {
    port,
    dataDir: env.DATA_DIR ? path.resolve(env.DATA_DIR) : path.join(APP_DIR, '.data'),
    secret: secret ?? new Uint8Array(randomBytes(32)),
    isSecretStable: secret !== undefined,
    redisUrl: env.REDIS_URL || undefined,
    publicDir: path.join(APP_DIR, 'dist', 'public'),
  };
}
