import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { findExecutable } from './find-executable';
import { freePort } from './free-port';
import { type RedisServer, startRedis } from './redis';
import { sleep } from './service-process';

const run = promisify(execFile);

/** Options for {@link startRedisCluster}. */
export interface StartRedisClusterOptions {
  /** How long to wait for the cluster to form (and for each failover); default 30 s. */
  timeoutMs?: number;
}

/** One node of the cluster as `CLUSTER NODES` describes it. */
export interface RedisClusterNodeInfo {
  readonly id: string;
  readonly port: number;
  readonly isMaster: boolean;
  /** The master's id, for a replica. */
  readonly masterId: string | undefined;
  /** Slot ranges `[from, to]` a master serves. */
  readonly slots: readonly (readonly [number, number])[];
}

/** A throwaway Redis Cluster on 127.0.0.1: three masters, three replicas. */
export interface RedisCluster {
  /** Startup nodes for ioredis `Cluster` (all six). */
  readonly nodes: readonly { readonly host: string; readonly port: number }[];
  /** The cluster's view of its nodes, asked from the first node that answers. */
  describe(): Promise<RedisClusterNodeInfo[]>;
  /**
   * Promotes a replica of the master that serves `key` with `CLUSTER FAILOVER` (the replica
   * catches up with its master first, so no acknowledged write is lost) and resolves once every
   * node sees it as that slot's master. Returns the new master's port.
   */
  failover(key: string): Promise<number>;
  /** Runs one command on the node at `port` through redis-cli; resolves with its output. */
  cli(port: number, ...args: string[]): Promise<string>;
  /** Stops every server and removes their directories. Safe to call twice. */
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Starts six `redis-server` processes in cluster mode on free loopback ports (each with its own
 * cluster bus port) and joins them with `redis-cli --cluster create … --cluster-replicas 1`.
 * Resolves once every node reports `cluster_state:ok` and knows all six nodes.
 *
 * @example
 * const cluster = await startRedisCluster();
 * afterAll(() => cluster.stop());
 * const client = new Cluster([...cluster.nodes]);
 */
export async function startRedisCluster(opts: StartRedisClusterOptions = {}): Promise<RedisCluster> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const serverBin = findExecutable(process.env.REDIS_SERVER || 'redis-server');
  const cliBin =
    findExecutable(process.env.REDIS_CLI || 'redis-cli') ??
    (serverBin ? findExecutable(path.join(path.dirname(serverBin), 'redis-cli')) : undefined);
  if (!cliBin) throw new Error('redis-cli not found on the PATH (apt-get install redis-tools, or set REDIS_CLI)');
  const redisCli: string = cliBin;
  const servers: RedisServer[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(servers.splice(0).map((server) => server.stop()));
  };
  const cli = async (port: number, ...args: string[]): Promise<string> => {
    const { stdout } = await run(redisCli, ['-h', '127.0.0.1', '-p', String(port), ...args], { timeout: 10_000 });
    return stdout;
  };
  const ports = (): number[] => servers.map((server) => server.port);
  const describe = async (): Promise<RedisClusterNodeInfo[]> => {
    for (const port of ports()) {
      const text = await cli(port, 'CLUSTER', 'NODES').catch(() => '');
      if (text.trim()) return parseNodes(text);
    }
    throw new Error('no cluster node answers CLUSTER NODES');
  };
  const until = async (check: () => Promise<boolean>, what: string): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (!(await check().catch(() => false))) {
      if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
      await sleep(100);
    }
  };
  /** Every node answers `cluster_state:ok` and agrees on who serves every master's slots. */
  const isConverged = async (): Promise<boolean> => {
    const views = await Promise.all(
      ports().map(async (port) => {
        const info = await cli(port, 'CLUSTER', 'INFO');
        if (!info.includes('cluster_state:ok')) return undefined;
        return parseNodes(await cli(port, 'CLUSTER', 'NODES'))
          .filter((node) => node.isMaster && node.slots.length > 0)
          .map((node) => `${node.port}:${JSON.stringify(node.slots)}`)
          .sort()
          .join(' ');
      }),
    );
    return views[0] !== undefined && views.every((view) => view === views[0]) && views[0].split(' ').length === 3;
  };

  try {
    for (let i = 0; i < 6; i++) {
      const busPort = await freePort();
      servers.push(
        await startRedis({
          args: [
            ...['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf'],
            ...['--cluster-port', String(busPort), '--cluster-node-timeout', '2000'],
          ],
          timeoutMs,
        }),
      );
    }
    await run(
      redisCli,
      [
        '--cluster',
        'create',
        ...ports().map((port) => `127.0.0.1:${port}`),
        '--cluster-replicas',
        '1',
        '--cluster-yes',
      ],
      { timeout: timeoutMs },
    );
    await until(isConverged, 'the cluster to converge');
    await until(
      async () => (await describe()).filter((node) => !node.isMaster && node.masterId).length === 3,
      'three replicas',
    );
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    nodes: ports().map((port) => ({ host: '127.0.0.1', port })),
    describe,
    cli,
    async failover(key) {
      const slot = Number((await cli(ports()[0] as number, 'CLUSTER', 'KEYSLOT', key)).trim());
      const nodes = await describe();
      const master = nodes.find((node) => node.isMaster && node.slots.some(([a, b]) => a <= slot && slot <= b));
      const replica = nodes.find((node) => node.masterId !== undefined && node.masterId === master?.id);
      if (!master || !replica) throw new Error(`no master with a replica serves slot ${slot}`);
      await cli(replica.port, 'CLUSTER', 'FAILOVER');
      await until(async () => {
        const view = await describe();
        const promoted = view.find((node) => node.id === replica.id);
        return promoted?.isMaster === true && promoted.slots.length > 0 && (await isConverged());
      }, `the failover of slot ${slot} to 127.0.0.1:${replica.port}`);
      return replica.port;
    },
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

/** Parses `CLUSTER NODES`: `<id> <ip:port@bus> <flags> <master> <ping> <pong> <epoch> <link> <slot>…`. */
function parseNodes(text: string): RedisClusterNodeInfo[] {
  const nodes: RedisClusterNodeInfo[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(' ');
    if (fields.length < 8) continue;
    const [id, address, flags, masterId] = fields as [string, string, string, string];
    const port = Number(address.slice(address.lastIndexOf(':') + 1, address.indexOf('@')));
    const slots: [number, number][] = [];
    for (const range of fields.slice(8)) {
      if (range.startsWith('[')) continue; // a slot being migrated
      const [from, to] = range.split('-').map(Number) as [number, number | undefined];
      slots.push([from, to ?? from]);
    }
    const flagList = flags.split(',');
    if (flagList.includes('fail') || flagList.includes('noaddr')) continue;
    nodes.push({
      id,
      port,
      isMaster: flagList.includes('master'),
      masterId: masterId === '-' ? undefined : masterId,
      slots,
    });
  }
  return nodes;
}
