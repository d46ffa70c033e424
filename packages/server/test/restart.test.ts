import { RawClient } from '@oxidite/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { SseReader } from './support/sse-reader';
import { type ServerProcess, startServerProcess } from './support/server-process';

/**
 * A crash and restart on the memory broker: the new process starts new epochs, and what it
 * published before a client came back must reach that client (issue #15, item 3).
 */
describe('a restarted server process (memory broker)', () => {
  const processes: ServerProcess[] = [];
  const clients: { close(): unknown }[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await Promise.all(processes.splice(0).map((p) => p.kill()));
  });
  const start = async (): Promise<ServerProcess> => {
    const server = await startServerProcess();
    processes.push(server);
    return server;
  };
  const connect = async (port: number): Promise<RawClient> => {
    const client = await RawClient.connect(`ws://127.0.0.1:${port}/ws`);
    clients.push(client);
    return client;
  };
  const numbers = (list: { data: unknown }[]) => list.map((m) => (m.data as { n: number }).n);

  /** Publishes 1..3 on a first process, kills it, publishes 101..105 on a second one. */
  async function crashAndRestart(): Promise<{ second: ServerProcess; lastOffset: string }> {
    const first = await start();
    const reader = await connect(first.port);
    await reader.subscribe('numbers');
    for (let n = 1; n <= 3; n++) expect(await reader.publish('numbers', { n })).toMatchObject({ type: 'ack' });
    const last = await reader.next('message', (m) => (m.data as { n: number }).n === 3);
    await first.kill();
    await reader.closed;
    const second = await start();
    const publisher = await connect(second.port);
    for (let n = 101; n <= 105; n++) expect(await publisher.publish('numbers', { n })).toMatchObject({ type: 'ack' });
    return { second, lastOffset: last.offset };
  }

  it('delivers, over WebSocket, everything the new process published before the client resubscribed', async () => {
    const { second, lastOffset } = await crashAndRestart();
    const client = await connect(second.port);
    const subscribed = await client.subscribe('numbers', { since: lastOffset });
    expect(subscribed).toMatchObject({ type: 'subscribed', recovered: false });
    await client.next('message', (m) => (m.data as { n: number }).n === 105);
    expect(numbers(client.messages('numbers'))).toEqual([101, 102, 103, 104, 105]);
  });

  it('does the same over SSE (Last-Event-ID of the old epoch)', async () => {
    const { second, lastOffset } = await crashAndRestart();
    const reader = new SseReader(`http://127.0.0.1:${second.port}/events?topic=numbers`, {
      'last-event-id': lastOffset,
    });
    clients.push(reader);
    await reader.until(() => reader.messages().length >= 5, 5_000, 'five messages');
    expect(numbers(reader.messages())).toEqual([101, 102, 103, 104, 105]);
    const subscribed = reader.events.find((e) => e.type === 'subscribed');
    expect(JSON.parse(subscribed?.data ?? '{}')).toMatchObject({ recovered: false });
    // The event ids let a reader that is cut now resume in the new epoch without a gap.
    const lastId = reader.events.filter((e) => e.type === 'message').at(-1)?.lastEventId;
    expect(lastId?.endsWith(':5')).toBe(true);
    expect(subscribed?.lastEventId.endsWith(':0')).toBe(true); // until the replay arrives
  });
});
