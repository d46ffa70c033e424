import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sleep } from '../shared/clock';

const READY_TIMEOUT_MS = 10_000;

/** Sends one command as RESP and resolves with the raw reply once it is complete (or after `ms`). */
function command(port: number, args: readonly string[], ms = 2_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let reply = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`redis: no reply to ${args[0]} within ${ms} ms`));
    }, ms);
    socket.setEncoding('utf8');
    socket.on('connect', () => {
      socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);
    });
    socket.on('data', (chunk: string) => {
      reply += chunk;
      if (isComplete(reply)) {
        clearTimeout(timer);
        socket.destroy();
        resolve(reply);
      }
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** Whether a RESP reply of the kinds used here (status, error, integer, bulk, flat array) is complete. */
function isComplete(reply: string): boolean {
  return end(Buffer.from(reply), 0) >= 0;
}

/** Where the RESP element starting at `at` ends, or -1 when it has not all arrived. */
function end(bytes: Buffer, at: number): number {
  const line = bytes.indexOf('\r\n', at);
  if (line < 0) return -1;
  const type = String.fromCharCode(bytes[at] ?? 0);
  const count = Number(bytes.subarray(at + 1, line).toString());
  if (type === '$') return count < 0 ? line + 2 : bytes.length >= line + 2 + count + 2 ? line + 2 + count + 2 : -1;
  if (type !== '*') return line + 2;
  let next = line + 2;
  for (let i = 0; i < count; i++) {
    next = end(bytes, next);
    if (next < 0) return -1;
  }
  return next;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** A throwaway redis-server on 127.0.0.1 for the Redis scenarios, with its CPU time readable. */
export class RedisProcess {
  readonly port: number;
  readonly #child: ChildProcess;
  readonly #dir: string;

  private constructor(child: ChildProcess, port: number, dir: string) {
    this.#child = child;
    this.port = port;
    this.#dir = dir;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts `redis-server` (or `$REDIS_SERVER`) without persistence and waits for PING. */
  static async start(): Promise<RedisProcess> {
    const port = await freePort();
    const dir = mkdtempSync(path.join(tmpdir(), 'oxidite-bench-redis-'));
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
    const child = spawn(process.env.REDIS_SERVER || 'redis-server', args, { stdio: 'ignore' });
    const redis = new RedisProcess(child, port, dir);
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      if ((await command(port, ['PING'], 500).catch(() => '')).startsWith('+PONG')) return redis;
      if (child.exitCode !== null || Date.now() > deadline) {
        await redis.stop();
        throw new Error(`redis-server did not answer PING on 127.0.0.1:${port}`);
      }
      await sleep(50);
    }
  }

  /** CPU seconds (user + system) the server has used so far, from `INFO cpu`. */
  async cpuSeconds(): Promise<number> {
    const info = await command(this.port, ['INFO', 'cpu']);
    const field = (name: string): number => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? Number.NaN);
    return field('used_cpu_user') + field('used_cpu_sys');
  }

  /** Subscriber connections of each channel matching `pattern` (`PUBSUB CHANNELS`, then `NUMSUB`). */
  async channels(pattern = '*'): Promise<{ channels: number; subscriptions: number }> {
    const names = (await command(this.port, ['PUBSUB', 'CHANNELS', pattern]))
      .split('\r\n')
      .filter((_, i) => i % 2 === 0 && i > 0);
    const list = names.filter(Boolean);
    if (list.length === 0) return { channels: 0, subscriptions: 0 };
    const numsub = (await command(this.port, ['PUBSUB', 'NUMSUB', ...list])).split('\r\n');
    let subscriptions = 0;
    // `*2k`, then per channel `$len`, name, `:count`.
    for (let i = 3; i < numsub.length; i += 3) subscriptions += Number(numsub[i]?.slice(1) ?? 0);
    return { channels: list.length, subscriptions };
  }

  async stop(): Promise<void> {
    if (this.#child.exitCode === null && this.#child.signalCode === null) {
      const exited = new Promise((resolve) => this.#child.once('exit', resolve));
      this.#child.kill('SIGKILL');
      await exited;
    }
    rmSync(this.#dir, { recursive: true, force: true });
  }
}
