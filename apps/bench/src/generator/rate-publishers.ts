import type { WebSocket } from 'ws';
import { monoMs } from '../shared/clock';
import { paceAtRate } from '../shared/pace';
import { openSocket } from './ws-fleet';

const ERROR = Buffer.from('"type":"error"');

/** Publishers over sockets at a fixed total rate (see {@link openRatePublishers}). */
export interface RatePublishers {
  /** Acks received so far. */
  readonly acked: number;
  /** Error answers received so far (a refused publish: the run is invalid). */
  readonly failed: number;
  /** Publishes `rate` messages per second round-robin over the sockets for `durationMs`; resolves with the count sent. */
  run(rate: number, durationMs: number): Promise<number>;
  close(): void;
}

/**
 * `count` raw sockets that publish to `topic` as clients do (`publish` with an `id`, acked),
 * each payload stamped with the monotonic send time `t`, so subscribers measure publisher →
 * subscriber latency through the server. Frames are built by hand: the generator's cost is the
 * same for every target.
 */
export async function openRatePublishers(
  url: string,
  topic: string,
  count: number,
  pad: string,
): Promise<RatePublishers> {
  const sockets: WebSocket[] = [];
  let acked = 0;
  let failed = 0;
  const onMessage = (frame: Buffer): void => {
    if (frame.includes(ERROR)) failed++;
    else acked++;
  };
  try {
    for (let i = 0; i < count; i++) {
      const ws = await openSocket(url);
      ws.on('message', onMessage);
      sockets.push(ws);
    }
  } catch (error) {
    for (const ws of sockets) ws.terminate();
    throw error;
  }
  const prefix = `{"type":"publish","topic":${JSON.stringify(topic)},"data":{"n":`;
  let n = 0;
  const send = (): void => {
    n++;
    const ws = sockets[n % sockets.length] as WebSocket;
    ws.send(`${prefix}${n},"t":${monoMs()},"p":"${pad}"},"id":${n}}`);
  };
  return {
    get acked() {
      return acked;
    },
    get failed() {
      return failed;
    },
    run(rate, durationMs) {
      return paceAtRate(rate, durationMs, send);
    },
    close() {
      for (const ws of sockets) ws.terminate();
    },
  };
}
