/** Options of the soak run (`pnpm soak -- --connections 2000 --duration 60`). */
export interface SoakOptions {
  /** WebSocket connections held for the whole run. @default 10_000 */
  readonly connections: number;
  /** How long the connections are held once all are open, in seconds. @default 600 */
  readonly duration: number;
  /** Server ping interval and client app-level ping interval, in ms. @default 10_000 */
  readonly heartbeat: number;
  /** Server connection timeout (silent connections are cut), in ms. @default 30_000 */
  readonly timeout: number;
  /** Topics the connections are spread over (round-robin); each gets the trickle in turn. @default 100 */
  readonly topics: number;
  /** Messages published per second, across all topics (the trickle). @default 20 */
  readonly rate: number;
  /** Loopback source addresses 127.0.0.1…127.0.0.N the clients bind to (ephemeral ports are per address). @default 1 per 10,000 connections, at least 2 */
  readonly addresses: number;
  /** Connections opened at once while ramping up. @default 200 */
  readonly concurrency: number;
}

const NAMES: Record<string, keyof SoakOptions> = {
  '--connections': 'connections',
  '--duration': 'duration',
  '--heartbeat': 'heartbeat',
  '--timeout': 'timeout',
  '--topics': 'topics',
  '--rate': 'rate',
  '--addresses': 'addresses',
  '--concurrency': 'concurrency',
};

/** Parses `--name value` pairs; unknown names and non-positive numbers are errors. */
export function parseSoakOptions(argv: readonly string[]): SoakOptions {
  const given: Partial<Record<keyof SoakOptions, number>> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') continue;
    const key = NAMES[arg];
    const value = Number(argv[i + 1]);
    if (!key) throw new Error(`unknown option ${arg}; known: ${Object.keys(NAMES).join(', ')}`);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`${arg} needs a positive number`);
    given[key] = value;
    i++;
  }
  const connections = given.connections ?? 10_000;
  return {
    connections,
    duration: given.duration ?? 600,
    heartbeat: given.heartbeat ?? 10_000,
    timeout: given.timeout ?? 30_000,
    topics: given.topics ?? 100,
    rate: given.rate ?? 20,
    addresses: given.addresses ?? Math.max(2, Math.ceil(connections / 10_000)),
    concurrency: given.concurrency ?? 200,
  };
}
