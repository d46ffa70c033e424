/**
 * One subscriber under test, in its own process, for the client-cpu scenario (bench.ts starts it).
 * argv[2] is the JSON {@link SubscriberConfig}. It connects and subscribes, says `ready` over
 * IPC, then counts what arrives; the orchestrator marks a window and asks for the CPU this
 * process spent per received message over it. It exits when told to, when the orchestrator goes
 * away, or after a hard lifetime cap.
 */
import { LatencyRecorder } from './generator/latency';
import { monoMs } from './shared/clock';
import type {
  SubscriberConfig,
  SubscriberReport,
  SubscriberRequest,
  SubscriberRequestFrame,
} from './shared/subscriber-ipc';
import { openReader } from './subscriber/readers';

const MAX_LIFETIME_MS = 5 * 60_000;
const POLL_MS = 10;

let received = 0;
let latency = new LatencyRecorder(1);
let markedCpu = process.cpuUsage();
let markedAt = monoMs();

function onMessage(t: number): void {
  received++;
  latency.add(monoMs() - t);
}

function report(): SubscriberReport {
  const cpu = process.cpuUsage(markedCpu);
  const [p50, p99] = latency.percentiles(50, 99);
  return {
    cpuMicros: cpu.user + cpu.system,
    userMicros: cpu.user,
    received,
    seconds: (monoMs() - markedAt) / 1000,
    p50: p50 as number,
    p99: p99 as number,
  };
}

/** Polls (every 10 ms, not per message: the reader's hot path stays as it is) until `count` arrived. */
function awaitCount(count: number, timeoutMs: number): Promise<boolean> {
  const deadline = monoMs() + timeoutMs;
  return new Promise((resolve) => {
    const check = (): void => {
      if (received >= count) resolve(true);
      else if (monoMs() >= deadline) resolve(false);
      else setTimeout(check, POLL_MS);
    };
    check();
  });
}

async function handle(request: SubscriberRequest): Promise<unknown> {
  switch (request.op) {
    case 'mark':
      received = 0;
      latency = new LatencyRecorder(request.capacity);
      markedAt = monoMs();
      markedCpu = process.cpuUsage();
      return null;
    case 'await':
      return awaitCount(request.count, request.timeoutMs);
    case 'report':
      return report();
    case 'stop':
      return null;
  }
}

function send(frame: unknown): Promise<void> {
  return new Promise((resolve) => {
    if (!process.connected) return resolve();
    process.send?.(frame, undefined, undefined, () => resolve());
  });
}

async function main(): Promise<void> {
  setTimeout(() => process.exit(3), MAX_LIFETIME_MS).unref();
  process.on('disconnect', () => process.exit(0));
  const config = JSON.parse(process.argv[2] ?? '{}') as SubscriberConfig;
  const reader = await openReader(config, onMessage);
  process.on('message', (frame: SubscriberRequestFrame) => {
    handle(frame).then(
      async (result) => {
        await send({ id: frame.id, ok: true, result: result ?? null });
        if (frame.op === 'stop') {
          reader.close();
          process.exit(0); // exit(), not a signal, so that --cpu-prof writes its profile
        }
      },
      (error: unknown) => send({ id: frame.id, ok: false, error: String(error) }),
    );
  });
  await send({ op: 'ready', port: 0 });
}

main().catch((error: unknown) => {
  console.error('bench subscriber failed:', error);
  process.exit(1);
});
