import type { WebSocket } from 'ws';
import { openSocket } from './ws-fleet';

const ERROR = Buffer.from('"type":"error"');

/** A raw socket publishing as fast as its acks allow, with or without message ids. */
export interface PublishClient {
  /** Acks received so far. */
  readonly acked: number;
  /** Error answers received so far (a refused publish: the run is invalid). */
  readonly failed: number;
  /** Starts publishing, keeping `window` publishes unacknowledged. */
  start(window: number): void;
  /** Stops sending; publishes in flight still count when their ack arrives. */
  stop(): void;
  close(): void;
}

/**
 * Opens a publisher of `topic` speaking the protocol directly. With `withIds` every publish
 * carries a fresh `messageId` (as `@oxidite/client` sends), so the server's dedupe window checks
 * and remembers each; without, the window is never touched. Frames are built by hand: no JSON
 * encoding of the envelope, so the generator costs the same either way.
 */
export async function openPublishClient(
  url: string,
  topic: string,
  data: unknown,
  options: { readonly withIds: boolean; readonly name: string },
): Promise<PublishClient> {
  const ws: WebSocket = await openSocket(url);
  const body = JSON.stringify(data);
  const prefix = `{"type":"publish","topic":${JSON.stringify(topic)},"data":${body},"id":`;
  const idPrefix = `,"messageId":"${options.name}:`;
  let sent = 0;
  let acked = 0;
  let failed = 0;
  let window = 0;
  let isRunning = false;
  const send = (): void => {
    const n = ++sent;
    ws.send(options.withIds ? `${prefix}${n}${idPrefix}${n.toString(36)}"}` : `${prefix}${n}}`);
  };
  ws.on('message', (frame: Buffer) => {
    if (frame.includes(ERROR)) failed++;
    else acked++;
    if (isRunning && sent - acked - failed < window) send();
  });
  return {
    get acked() {
      return acked;
    },
    get failed() {
      return failed;
    },
    start(size) {
      window = size;
      isRunning = true;
      while (sent - acked - failed < window) send();
    },
    stop() {
      isRunning = false;
    },
    close: () => ws.terminate(),
  };
}
