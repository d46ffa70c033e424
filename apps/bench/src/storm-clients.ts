/**
 * A load-generator process of the reconnect storm (scenario `storm`): holds a share of the
 * `@oxidite/client` clients (one process cannot carry 10,000 on top of the orchestrator's work,
 * and each process is held to 20,000 file descriptors), driven over IPC by the orchestrator.
 * It exits when the orchestrator goes away or after a hard lifetime cap.
 */
import { StormFleet } from './generator/storm-fleet';
import type { Reply } from './shared/ipc';
import type { StormRequest, StormRequestFrame } from './shared/storm-ipc';

const MAX_LIFETIME_MS = 5 * 60_000;

const fleet = new StormFleet();

function send(frame: Reply | { op: 'ready'; port: number }): void {
  if (process.connected) process.send?.(frame);
}

async function handle(request: StormRequest): Promise<unknown> {
  switch (request.op) {
    case 'open':
      await fleet.open(request.url, request.count, request.first, request.perClient, request.concurrency);
      return null;
    case 'has-all':
      return fleet.hasAll(request.last);
    case 'arm':
      fleet.arm();
      return null;
    case 'wait':
      await fleet.waitComplete(request.last, request.timeoutMs);
      return null;
    case 'report':
      return fleet.report();
    case 'close':
      fleet.close();
      return null;
  }
}

setTimeout(() => process.exit(3), MAX_LIFETIME_MS).unref();
process.on('disconnect', () => process.exit(0));
process.on('message', (frame: StormRequestFrame) => {
  handle(frame).then(
    (result) => send({ id: frame.id, ok: true, result: result ?? null }),
    (error: unknown) => send({ id: frame.id, ok: false, error: String(error) }),
  );
});
send({ op: 'ready', port: 0 });
