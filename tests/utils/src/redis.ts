import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findExecutable } from './find-executable';
import { freePort } from './free-port';
import { type ServiceProcess, describeExit, onProcessExit, sleep, spawnService, stopService } from './service-process';

/** Options for {@link startRedis}. */
export interface StartRedisOptions {
  /** Port to use; default: a free one (retried if another process takes it first). */
  port?: number;
  /** Extra `redis-server` arguments, e.g. `['--maxmemory', '10mb']`. */
  args?: string[];
  /** How long to wait for `PING` to answer `+PONG`; default 10 s. */
  timeoutMs?: number;
}

/** A throwaway redis-server on 127.0.0.1 (no persistence), owned by the test that started it. */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** Graceful stop (SIGTERM), removes its temp dir. Safe to call twice. */
  stop(): Promise<void>;
  /** Starts it again on the same port (after `stop()` or `kill()`); a no-op when it is running. */
  start(): Promise<void>;
  /** Crash it: SIGKILL, then wait for the exit. */
  kill(): Promise<void>;
  /** Same as `stop()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** True when a server on `port` answers RESP `PING` with `+PONG` within `ms`. Speaks RESP on a raw socket. */
export function pingRedis(port: number, ms = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let reply = '';
    const finish = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => finish(false), ms);
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write('*1\r\n$4\r\nPING\r\n'));
    socket.on('data', (chunk: string) => {
      reply += chunk;
      if (reply.includes('\r\n')) finish(reply.startsWith('+PONG\r\n'));
    });
    socket.on('error', () => finish(false));
    socket.on('close', () => finish(false));
  });
}

/**
 * Starts `redis-server` (or `$REDIS_SERVER`) as a child process:
 * `redis-server --port <free> --bind 127.0.0.1 --save '' --appendonly no --dir <tmp>`, and waits until it answers
 * `PING`. Fails after `timeoutMs` (10 s) with the server's output in the message.
 *
 * @example
 * const redis = await startRedis();
 * afterAll(() => redis.stop());
 * const client = new Redis(redis.url);
 */
export async function startRedis(opts: StartRedisOptions = {}): Promise<RedisServer> {
  const bin = findExecutable(process.env.REDIS_SERVER || 'redis-server');
  if (!bin) throw new Error('redis-server not found on the PATH (apt-get install redis-server, or set REDIS_SERVER)');
  const redisServer: string = bin;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const dir = await mkdtemp(path.join(tmpdir(), 'oxidite-redis-'));
  let port = opts.port ?? (await freePort());
  let proc: ServiceProcess | undefined;

  async function launch(): Promise<void> {
    await mkdir(dir, { recursive: true });
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
    const p = spawnService(redisServer, [...args, '--dir', dir, '--daemonize', 'no', ...(opts.args ?? [])], {
      cwd: dir,
    });
    proc = p;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!p.running()) {
        const info = await p.exited;
        throw new Error(
          `redis-server on 127.0.0.1:${port} exited (${describeExit(info)}) before answering PING:\n${p.output()}`,
        );
      }
      if ((await pingRedis(port)) && p.running()) return;
      if (Date.now() >= deadline) {
        await stopService(p, 'SIGKILL');
        throw new Error(
          `Timed out after ${timeoutMs} ms waiting for redis-server on 127.0.0.1:${port} to answer PING:\n${p.output()}`,
        );
      }
      await sleep(50);
    }
  }

  // Another process may take the free port between freePort() and the bind: pick a new one and retry.
  for (let attempt = 1; ; attempt++) {
    try {
      await launch();
      break;
    } catch (err) {
      const portTaken = /address already in use/i.test(proc?.output() ?? '');
      if (!portTaken || opts.port !== undefined || attempt >= 3) {
        await rm(dir, { recursive: true, force: true });
        throw err;
      }
      port = await freePort();
    }
  }

  // If the test process exits without stop(): the child is SIGKILLed (spawnService), and its dir removed here.
  const unregister = onProcessExit(() => rmSync(dir, { recursive: true, force: true }));
  const stop = async () => {
    if (proc) await stopService(proc, 'SIGTERM');
    await rm(dir, { recursive: true, force: true });
    unregister();
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop,
    async start() {
      if (!proc?.running()) await launch();
    },
    async kill() {
      if (proc) await stopService(proc, 'SIGKILL');
    },
    [Symbol.asyncDispose]: stop,
  };
}
