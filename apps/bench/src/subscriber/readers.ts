import { WebSocket } from 'ws';
import { BenchPayloadSchema } from '../server/oxidite-server';
import { loadClientModule } from '../shared/client-module';
import type { SubscriberConfig } from '../shared/subscriber-ipc';
import { BENCH_TOPIC, SUBPROTOCOL } from '../shared/targets';

const OPEN_TIMEOUT_MS = 15_000;

/** A subscribed reader; `onMessage` gets each bench payload's send time `t`. */
export interface Reader {
  close(): void;
}

/** Opens the reader of `config.kind` and resolves once it is subscribed to the bench topic. */
export function openReader(config: SubscriberConfig, onMessage: (t: number) => void): Promise<Reader> {
  return config.kind === 'ws-json' ? openRawReader(config.url, onMessage) : openClientReader(config, onMessage);
}

/**
 * The baseline: a `ws` socket with default options (as `@oxidite/client` creates it) that parses
 * every frame with `JSON.parse` and hands `message` payloads on; no validation.
 */
function openRawReader(url: string, onMessage: (t: number) => void): Promise<Reader> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, SUBPROTOCOL);
    const timer = setTimeout(() => fail(new Error('raw reader: no subscribed in time')), OPEN_TIMEOUT_MS);
    const fail = (error: Error): void => {
      clearTimeout(timer);
      ws.terminate();
      reject(error);
    };
    ws.on('error', fail);
    ws.on('message', (data: Buffer) => {
      const envelope = JSON.parse(data.toString()) as { type: string; data: { t: number } };
      if (envelope.type === 'message') onMessage(envelope.data.t);
      else if (envelope.type === 'welcome') ws.send(JSON.stringify({ type: 'subscribe', id: 1, topic: BENCH_TOPIC }));
      else if (envelope.type === 'subscribed') {
        clearTimeout(timer);
        resolve({ close: () => ws.terminate() });
      }
    });
  });
}

/** `@oxidite/client` (the workspace build or `clientModule`), subscribed with or without the zod schema. */
async function openClientReader(config: SubscriberConfig, onMessage: (t: number) => void): Promise<Reader> {
  const { createClient } = await loadClientModule(config.clientModule);
  const client = createClient({
    url: config.url,
    topics: { [BENCH_TOPIC]: BenchPayloadSchema },
    WebSocket,
    reconnect: { maxRetries: 0 },
    validate: config.kind === 'client',
  });
  const subscription = client.subscribe(BENCH_TOPIC, (data) => onMessage(data.t));
  const timeout = new Promise<never>((_, reject) => {
    setTimeout(() => reject(new Error('client reader: not subscribed in time')), OPEN_TIMEOUT_MS).unref();
  });
  try {
    await Promise.race([subscription.ready, timeout]);
  } catch (error) {
    client.close();
    throw error;
  }
  return { close: () => client.close() };
}
