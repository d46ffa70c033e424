/**
 * The server under test, in its own process (started by bench.ts with `--expose-gc`). argv[2] is
 * the JSON {@link ServerConfig}. It listens on 127.0.0.1:0, says `ready` over IPC, then answers
 * requests: CPU usage, memory after GC, flood/rate publishing, replay prefill, analytics ingest.
 * It exits when told to stop, when the orchestrator goes away, or after a hard lifetime cap.
 */
import type { AnalyticsResult, CreditFrame, Memory, Reply, Request, RequestFrame, ServerConfig } from './shared/ipc';
import { monoMs } from './shared/clock';
import { benchAnalytics } from './server/analytics-ingest';
import type { BenchServer } from './server/bench-server';
import { LoopDelayWindow } from './server/loop-delay';
import { startNodeSseServer } from './server/node-sse-server';
import { startOxiditeServer } from './server/oxidite-server';
import { Publisher } from './server/publisher';
import { startRawWsServer } from './server/raw-ws-server';
import { startSocketIoServer } from './server/socketio-server';

/** However the orchestrator fares, this process ends within this time. */
const MAX_LIFETIME_MS = 5 * 60_000;
const CLOSE_TIMEOUT_MS = 3_000;

const gc = (globalThis as { gc?: () => void }).gc;

function start(config: ServerConfig): Promise<BenchServer> {
  const pad = 'x'.repeat(config.payloadBytes);
  switch (config.kind) {
    case 'oxidite':
      return startOxiditeServer(config, pad);
    case 'ws':
      return startRawWsServer(pad, false, config.heartbeatMs);
    case 'ws-frame-once':
      return startRawWsServer(pad, true, config.heartbeatMs);
    case 'socketio':
      return startSocketIoServer(pad);
    case 'node-sse':
      return startNodeSseServer(pad);
  }
}

function send(frame: Reply | { op: 'ready'; port: number }): Promise<void> {
  return new Promise((resolve) => {
    if (!process.connected) return resolve();
    process.send?.(frame, undefined, undefined, () => resolve());
  });
}

function memory(server: BenchServer): Memory {
  gc?.();
  gc?.();
  const usage = process.memoryUsage();
  return { rss: usage.rss, heapUsed: usage.heapUsed, external: usage.external, connections: server.connections() };
}

const loopDelay = new LoopDelayWindow();

async function handle(server: BenchServer, publisher: Publisher, request: Request): Promise<unknown> {
  switch (request.op) {
    case 'usage': {
      const cpu = process.cpuUsage();
      return { user: cpu.user, system: cpu.system, at: monoMs() };
    }
    case 'memory':
      return memory(server);
    case 'stats':
      return { connections: server.connections(), ...server.counters() };
    case 'flood':
      publisher.flood(request.total, request.burst, request.maxMs);
      return null;
    case 'flood-stop':
      return publisher.stopFlood();
    case 'rate':
      return publisher.rate(request.rate, request.durationMs);
    case 'loop-delay-start':
      loopDelay.start();
      return null;
    case 'loop-delay-stop':
      return loopDelay.stop();
    case 'publish-numbered':
      if (!server.publishNumbered) throw new Error('this server has no history');
      await server.publishNumbered(request.topics, request.from, request.to);
      return null;
    case 'prefill':
      if (!server.prefill) throw new Error('this server has no history');
      return server.prefill(request.count);
    case 'analytics':
      return benchAnalytics(request.events, request.batch, request.maxMs) satisfies Promise<AnalyticsResult>;
    case 'stop':
      await Promise.race([server.close(), new Promise((resolve) => setTimeout(resolve, CLOSE_TIMEOUT_MS))]);
      return null;
  }
}

async function main(): Promise<void> {
  setTimeout(() => process.exit(3), MAX_LIFETIME_MS).unref();
  // Orphaned (the orchestrator died or closed the channel): stop at once.
  process.on('disconnect', () => process.exit(0));
  const config = JSON.parse(process.argv[2] ?? '{}') as ServerConfig;
  const server = await start(config);
  const publisher = new Publisher(server);
  process.on('message', (frame: RequestFrame | CreditFrame) => {
    if (frame.op === 'credit') return publisher.credit(frame.upTo);
    handle(server, publisher, frame).then(
      async (result) => {
        await send({ id: frame.id, ok: true, result: result ?? null });
        // exit() (not a signal) so that --cpu-prof writes its profile.
        if (frame.op === 'stop') process.exit(0);
      },
      (error: unknown) => send({ id: frame.id, ok: false, error: String(error) }),
    );
  });
  await send({ op: 'ready', port: server.port });
}

main().catch((error: unknown) => {
  console.error('bench server failed:', error);
  process.exit(1);
});
