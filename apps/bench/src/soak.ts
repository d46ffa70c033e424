/**
 * The soak: holds N WebSocket connections on one server for a duration, with heartbeats (server
 * pings, client pings) and a trickle of messages, then reports the server's RSS at start and end,
 * unexpected closes and lost messages. Not part of any test suite; bounded and self-stopping.
 *
 *   pnpm soak                                   # 10,000 connections for 10 minutes
 *   pnpm soak -- --connections 2000 --duration 60
 *
 * The server runs in a child process (its RSS is its own); the clients bind to several loopback
 * source addresses so that ephemeral ports never run out. Exit code 0 when nothing was lost and
 * no connection closed unexpectedly.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SoakFleet } from './soak/soak-fleet';
import { parseSoakOptions, type SoakOptions } from './soak/soak-options';
import { SoakPublisher } from './soak/soak-publisher';
import { runSoakServer, type SoakRequest, type SoakSample, soakTopic } from './soak/soak-server';

const SELF = fileURLToPath(import.meta.url);
/** Set-up (ramp-up, drain) may take this long beyond the duration before the run gives up. */
const SETUP_BUDGET_MS = 300_000;
const DRAIN_MS = 15_000;
const MiB = 1024 * 1024;

const log = (line: string): void => void process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface ServerHandle {
  readonly port: number;
  sample(): Promise<SoakSample>;
  close(): Promise<void>;
}

function startServer(options: SoakOptions): Promise<ServerHandle> {
  const child = fork(SELF, ['--serve', JSON.stringify(options)], { execArgv: ['--expose-gc'] });
  let nextId = 1;
  const waiting = new Map<number, (reply: { sample?: SoakSample }) => void>();
  const ask = (type: SoakRequest['type']) =>
    new Promise<{ sample?: SoakSample }>((resolve) => {
      const id = nextId++;
      waiting.set(id, resolve);
      child.send({ id, type } satisfies SoakRequest);
    });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the server exited (${code})`)));
    child.on('message', (message: { port?: number; id?: number; sample?: SoakSample }) => {
      if (message.port !== undefined) {
        resolve({
          port: message.port,
          sample: async () => (await ask('sample')).sample as SoakSample,
          close: async () => void (await ask('close')),
        });
      } else if (message.id !== undefined) {
        waiting.get(message.id)?.(message);
        waiting.delete(message.id);
      }
    });
  });
}

async function soak(options: SoakOptions): Promise<boolean> {
  const topics = Array.from({ length: options.topics }, (_, i) => soakTopic(i));
  const addresses = Array.from({ length: options.addresses }, (_, i) => `127.0.0.${i + 1}`);
  log(`soak: ${JSON.stringify(options)}`);
  const server = await startServer(options);
  const url = `ws://127.0.0.1:${server.port}/ws`;
  const fleet = new SoakFleet(url);
  const rampStarted = Date.now();
  await fleet.open(options.connections, topics, addresses, options.concurrency, (n) => log(`opened ${n}`));
  log(`${fleet.size} connections subscribed in ${((Date.now() - rampStarted) / 1000).toFixed(1)} s`);
  const start = await server.sample();
  const clientStart = process.memoryUsage().rss;
  log(`server RSS at start: ${(start.rssBytes / MiB).toFixed(1)} MiB (${start.connections} connections)`);

  const publisher = await SoakPublisher.open(url, topics);
  const PING_TICK = 100;
  const slices = Math.max(1, Math.round(options.heartbeat / PING_TICK));
  let slice = 0;
  const pinger = setInterval(() => fleet.ping(slice++ % slices, slices), PING_TICK);
  let credit = 0;
  const trickle = setInterval(() => {
    credit += options.rate / 20;
    for (; credit >= 1; credit--) publisher.publish();
  }, 50);
  const ends = Date.now() + options.duration * 1000;
  while (Date.now() < ends) {
    await wait(Math.min(60_000, ends - Date.now()));
    const now = await server.sample();
    log(
      `RSS ${(now.rssBytes / MiB).toFixed(1)} MiB, ${now.connections} connections, published ${publisher.published}, received ${fleet.received}, lost ${fleet.lost}, unexpected closes ${fleet.unexpectedCloses}`,
    );
  }
  clearInterval(trickle);
  clearInterval(pinger);
  const drainBy = Date.now() + DRAIN_MS;
  while ((publisher.pending > 0 || !fleet.isCaughtUp(publisher.acked)) && Date.now() < drainBy) await wait(100);
  fleet.settle(publisher.acked);
  const end = await server.sample();
  const report = {
    connections: options.connections,
    durationSeconds: options.duration,
    heartbeatMs: options.heartbeat,
    serverRssStartMiB: Number((start.rssBytes / MiB).toFixed(1)),
    serverRssEndMiB: Number((end.rssBytes / MiB).toFixed(1)),
    serverHeapStartMiB: Number((start.heapUsedBytes / MiB).toFixed(1)),
    serverHeapEndMiB: Number((end.heapUsedBytes / MiB).toFixed(1)),
    clientRssStartMiB: Number((clientStart / MiB).toFixed(1)),
    clientRssEndMiB: Number((process.memoryUsage().rss / MiB).toFixed(1)),
    connectionsAtEnd: end.connections,
    published: publisher.published,
    publishFailures: publisher.failed,
    delivered: fleet.received,
    lostMessages: fleet.lost,
    duplicates: fleet.duplicates,
    unexpectedCloses: fleet.unexpectedCloses,
    closeCodes: Object.fromEntries(fleet.closeCodes),
    reconnects: fleet.reconnects,
    serverDropped: end.dropped,
    slowConsumersClosed: end.slowConsumersClosed,
  };
  fleet.close();
  publisher.close();
  await server.close();
  log(`report: ${JSON.stringify(report)}`);
  return report.lostMessages === 0 && report.unexpectedCloses === 0 && report.publishFailures === 0;
}

if (process.argv[2] === '--serve') {
  await runSoakServer(JSON.parse(process.argv[3] as string) as SoakOptions);
} else {
  const options = parseSoakOptions(process.argv.slice(2));
  // Bounded whatever happens: a stuck ramp-up or drain ends the run.
  setTimeout(
    () => {
      log('soak: gave up (set-up budget exceeded)');
      process.exit(2);
    },
    options.duration * 1000 + SETUP_BUDGET_MS,
  ).unref();
  soak(options).then(
    (isClean) => process.exit(isClean ? 0 : 1),
    (error: unknown) => {
      log(`soak failed: ${error instanceof Error ? error.stack : String(error)}`);
      process.exit(2);
    },
  );
}
