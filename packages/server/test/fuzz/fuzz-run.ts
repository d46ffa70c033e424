import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { decodeServerEnvelope } from '@oxidite/protocol';
import { RawClient } from '../support/raw-client';
import { openRawSse, type RawSse } from '../support/sse-oracle';
import { FUZZ_RETENTION_MS, startFuzzServer } from './fuzz-server';
import { Oracle } from './oracle';
import { Random } from './random';
import { httpSession, type SessionContext, sseSession, wsSession } from './sessions';

/** Options of {@link runFuzz}. */
export interface FuzzOptions {
  readonly seed: number;
  /** Frames (WebSocket frames and HTTP requests) to send in all. */
  readonly frames: number;
  /** Sessions running at once. @default 6 */
  readonly concurrency?: number;
  /** Stop sending after this long, in ms, even if `frames` were not all sent (the report says how many were). @default no limit */
  readonly maxDurationMs?: number;
  /** Called with a progress line now and then (long runs). */
  readonly onProgress?: (line: string) => void;
}

/** What a run measured. */
export interface FuzzReport {
  readonly seed: number;
  readonly frames: number;
  readonly sessions: number;
  readonly durationMs: number;
  readonly oracle: ReturnType<Oracle['summary']>;
  readonly violations: number;
  readonly honest: { published: number; websocket: number; sse: number; inOrder: boolean };
  /** MiB. `start`/`end` after gc: start after warm-up, end once the retention windows passed. */
  readonly memory: {
    rssStart: number;
    rssMax: number;
    rssEnd: number;
    heapStart: number;
    heapMax: number;
    heapEnd: number;
  };
  readonly broker: { topicCount: number; historyBytes: number; historyBytesMax: number };
  /** Rate-limit buckets held: the most during the run, and at the end. */
  readonly rateLimitKeys: { max: number; end: number };
  readonly stats: Record<string, unknown>;
}

const MIB = 1024 * 1024;
/** One honest message per this many fuzz frames. */
const PUBLISH_EVERY = 200;

function gcFunction(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** Waits for `predicate` with a deadline, re-checking every `step` ms (for states with no event: a sweep). */
async function until(predicate: () => boolean, ms: number, what: string, step = 50): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, step));
  }
}

/** The `n` of every honest message in an SSE text. */
function sseNumbers(sse: RawSse): number[] {
  return [...sse.text.matchAll(/^event: message\ndata: (.*)$/gm)].map(
    (m) => (JSON.parse(m[1] as string) as { data: { n: number } }).data.n,
  );
}

/**
 * Runs the fuzzer against a fresh server in this process: `concurrency` loops of random sessions
 * (fuzzed WebSocket frames over raw TCP, WebSocket abuse, garbage SSE and HTTP requests) while an
 * honest WebSocket subscriber and an honest SSE subscriber receive one server publish per 200
 * frames. See {@link FuzzReport} for what it measures.
 */
export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const gc = gcFunction();
  const random = new Random(options.seed);
  const oracle = new Oracle();
  const server = await startFuzzServer();
  const ctx: SessionContext = { port: server.port, oracle, answerTimeout: 15_000 };
  // Held through one variable only, so that dropping it at the end frees everything they received.
  let subscribers: Honest | undefined = await connectHonest(server.port, oracle);

  let sent = 0;
  let sessions = 0;
  let published = 0;
  const memory = { rssStart: 0, rssMax: 0, rssEnd: 0, heapStart: 0, heapMax: 0, heapEnd: 0 };
  let historyBytesMax = 0;
  let keysMax = 0;
  const sample = (): void => {
    const usage = process.memoryUsage();
    memory.rssMax = Math.max(memory.rssMax, usage.rss / MIB);
    memory.heapMax = Math.max(memory.heapMax, usage.heapUsed / MIB);
    historyBytesMax = Math.max(historyBytesMax, server.broker.historyBytes ?? 0);
    keysMax = Math.max(keysMax, server.limiter.size);
  };
  const sampler = setInterval(sample, 250);
  sampler.unref();

  async function worker(seed: number, target: number): Promise<void> {
    const own = new Random(seed);
    while (sent < target && Date.now() < stopAt) {
      const kind = own.weighted({ ws: 80, sse: 10, http: 10 });
      const session = kind === 'ws' ? wsSession : kind === 'sse' ? sseSession : httpSession;
      const frames = await session(ctx, own);
      sent += frames;
      sessions++;
      while (published < Math.floor(sent / PUBLISH_EVERY)) {
        await server.rt.publish('honest', { n: ++published });
        // Server announcements of every shape an app might pass, to every connection.
        if (published % 25 === 0) server.rt.broadcast(own.pick([undefined, null, { at: published }, 'text', () => 1]));
      }
    }
  }
  const run = async (target: number): Promise<void> => {
    await Promise.all(Array.from({ length: options.concurrency ?? 6 }, () => worker(random.int(1, 2 ** 31), target)));
  };
  const settle = async (open: number): Promise<void> => {
    await until(
      () => server.rt.stats().connections.websocket === open && server.rt.stats().connections.sse === open,
      30_000,
      'fuzz connections to close',
    );
    await until(() => !(server.broker.historyBytes > 0), FUZZ_RETENTION_MS * 20, 'history to age out');
    // Publish buckets refill in 5 s (100 at 20/s); the sweep then forgets them.
    await until(() => server.limiter.size === 0, 30_000, 'rate-limit buckets to refill');
    gc();
    gc();
  };

  const started = Date.now();
  const stopAt = started + (options.maxDurationMs ?? Number.POSITIVE_INFINITY);
  // Warm-up (10% of the run, at most 20,000 frames): code paths compiled and optimised and lazy
  // state created before the baseline is taken, so that the end figure measures retention only.
  await run(Math.min(20_000, Math.ceil(options.frames / 10)));
  // The baseline is taken once the history the warm-up left has aged out, like the end figure.
  await settle(1);
  memory.rssStart = process.memoryUsage().rss / MIB;
  memory.heapStart = process.memoryUsage().heapUsed / MIB;
  let lastReport = Date.now();
  const progress = setInterval(() => {
    if (Date.now() - lastReport < 10_000) return;
    lastReport = Date.now();
    options.onProgress?.(
      `${sent} frames, ${sessions} sessions, rss ${Math.round(process.memoryUsage().rss / MIB)} MiB, violations ${oracle.violationCount} ${[...oracle.violations].map(([kind, v]) => `${kind}: ${v.count}`).join('; ')}`,
    );
  }, 1_000);
  progress.unref();
  await run(options.frames);
  clearInterval(progress);

  // Honest delivery: everything published, once, in order, on both transports.
  const honest = await honestDelivery(subscribers, published, oracle);
  await subscribers.close();
  subscribers = undefined;

  // Liveness at the end: a fresh client is served.
  const late = await RawClient.connect(`ws://127.0.0.1:${server.port}/ws`);
  late.send({ type: 'ping' });
  await late.next('pong', () => true, 15_000);
  await late.close();

  await settle(0);
  sample();
  memory.rssEnd = process.memoryUsage().rss / MIB;
  memory.heapEnd = process.memoryUsage().heapUsed / MIB;
  clearInterval(sampler);
  const report: FuzzReport = {
    seed: options.seed,
    frames: sent,
    sessions,
    durationMs: Date.now() - started,
    oracle: oracle.summary(),
    violations: oracle.violationCount,
    honest,
    memory: Object.fromEntries(
      Object.entries(memory).map(([k, v]) => [k, Math.round(v * 10) / 10]),
    ) as FuzzReport['memory'],
    broker: { topicCount: server.broker.topicCount, historyBytes: server.broker.historyBytes, historyBytesMax },
    rateLimitKeys: { max: keysMax, end: server.limiter.size },
    stats: { ...server.rt.stats() },
  };
  await server.close();
  return report;
}

/** The honest subscribers: one WebSocket, one SSE stream, both on `honest`. */
interface Honest {
  readonly ws: RawClient;
  readonly sse: RawSse;
  close(): Promise<void>;
}

async function connectHonest(port: number, oracle: Oracle): Promise<Honest> {
  const ws = await RawClient.connect(`ws://127.0.0.1:${port}/ws`, { headers: { 'x-user': 'honest' } });
  ws.ws.on('message', (data: Buffer, isBinary: boolean) => {
    oracle.framesChecked++;
    const result = isBinary ? { ok: true } : decodeServerEnvelope(data.toString('utf8'));
    if (!result.ok) oracle.fail('honest WebSocket frame fails the decoder', data.toString('utf8'));
  });
  await ws.subscribe('honest');
  const sse = await openRawSse(`http://127.0.0.1:${port}/events?topic=honest`);
  await sse.until((text) => text.includes('event: subscribed'));
  return {
    ws,
    sse,
    async close() {
      sse.close();
      await ws.close();
    },
  };
}

/** Waits for every honest message on both transports; checks the SSE text with the oracle. */
async function honestDelivery(subscribers: Honest, published: number, oracle: Oracle): Promise<FuzzReport['honest']> {
  const expected = JSON.stringify(Array.from({ length: published }, (_, i) => i + 1));
  const wsNumbers = () => subscribers.ws.messages('honest').map((m) => (m.data as { n: number }).n);
  await until(
    () => wsNumbers().length >= published && sseNumbers(subscribers.sse).length >= published,
    30_000,
    'honest delivery',
  ).catch(() => undefined);
  oracle.checkSse(subscribers.sse.text);
  const inOrder = JSON.stringify(wsNumbers()) === expected && JSON.stringify(sseNumbers(subscribers.sse)) === expected;
  return { published, websocket: wsNumbers().length, sse: sseNumbers(subscribers.sse).length, inOrder };
}
