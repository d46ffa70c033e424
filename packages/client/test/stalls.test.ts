import { describe, expect, it } from 'vitest';
import type { WebSocket as ServerSocket } from 'ws';
import { createEventStream, type RealtimeError } from '../src/index';
import { collect, connect, nextState, startServer } from './support/harness';
import { startScriptedServer } from './support/scripted-server';
import { topics } from './support/topics';

// Ways a client could stop without saying so: a provider that never answers, and a frame it cannot
// decode that leaves a gap in a topic's stream.

describe('a client never stalls silently', () => {
  it('a token provider that never answers fails the attempt after connectionTimeout, and the next one connects', async () => {
    const server = await startServer();
    let calls = 0;
    const errors: RealtimeError[] = [];
    const client = connect(server.url, {
      token: () => (++calls === 1 ? new Promise<string>(() => {}) : 'fine'),
      reconnect: { connectionTimeout: 200 },
    });
    client.on('error', (error) => errors.push(error));
    await client.ready;
    // At least one more attempt: on a loaded machine a later one may also outlive the short timeout.
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(errors.map((e) => [e.code, e.message])).toEqual([['unauthorized', 'the token provider failed']]);
  });

  it('a url provider that never answers fails the attempt the same way', async () => {
    const server = await startServer();
    let calls = 0;
    const client = connect('', {
      url: () => (++calls === 1 ? new Promise<string>(() => {}) : server.url),
      reconnect: { connectionTimeout: 200 },
    });
    await client.ready;
    // At least one more attempt: on a loaded machine a later one may also outlive the short timeout.
    expect(calls).toBeGreaterThanOrEqual(2);
  });

  it("an SSE stream's token provider that never answers fails the attempt after idleTimeout", async () => {
    const server = await startServer({ sseRetry: 0 });
    let calls = 0;
    let opened = (): void => {};
    const open = new Promise<void>((resolve) => {
      opened = resolve;
    });
    const stream = createEventStream(`http://127.0.0.1:${server.port}/events`, {
      topics,
      handlers: { numbers: () => {} },
      onState: ({ to }) => to === 'open' && opened(),
      token: () => (++calls === 1 ? new Promise<string>(() => {}) : 'fine'),
      idleTimeout: 200,
      reconnect: { minDelay: 10, maxDelay: 20 },
    });
    try {
      await open;
      // At least one more attempt: on a loaded machine a later one may also outlive the short timeout.
      expect(calls).toBeGreaterThanOrEqual(2);
    } finally {
      stream.close();
    }
  });

  it('an undecodable frame drops the connection, so the resubscribe recovers what it hid', async () => {
    const epoch = 'e7';
    const message = (seq: number) =>
      JSON.stringify({ type: 'message', topic: 'numbers', offset: `${epoch}:${seq}`, data: { n: seq }, ts: 1 });
    const sinces: (string | undefined)[] = [];
    const onConnection = (ws: ServerSocket, n: number): void => {
      ws.on('message', (raw) => {
        const request = JSON.parse(String(raw)) as { type: string; id: number; since?: string };
        if (request.type !== 'subscribe') return;
        sinces.push(request.since);
        if (n === 1) {
          ws.send(
            JSON.stringify({
              type: 'subscribed',
              id: request.id,
              topic: 'numbers',
              offset: `${epoch}:0`,
              recovered: true,
            }),
          );
          ws.send(message(1));
          ws.send('{"type":"message","topic":"numbers",\u0000'); // message 2, corrupted on the way
          ws.send(message(3)); // never read: the client dropped the connection
        } else {
          // The resubscribe asks from the last offset it saw: the history replays 2 and 3.
          ws.send(
            JSON.stringify({
              type: 'subscribed',
              id: request.id,
              topic: 'numbers',
              offset: `${epoch}:3`,
              recovered: true,
            }),
          );
          ws.send(message(2));
          ws.send(message(3));
        }
      });
    };
    const server = await startScriptedServer({ onConnection });
    const client = connect(server.url);
    const numbers = collect(client, 'numbers');
    await numbers.count(3);
    expect(numbers.data()).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(sinces).toEqual([undefined, `${epoch}:1`]);
  });

  it('an undecodable frame reconnects; an envelope of a type this client does not know does not', async () => {
    const server = await startScriptedServer({
      onConnection: (ws, n) => {
        if (n === 1) ws.send('{"type":"message","topic":'); // not JSON: it could have hidden a message
        if (n === 2) ws.send('{"type":"newer-feature","x":1}'); // a newer server's envelope: skipped
      },
    });
    const client = connect(server.url);
    const errors: string[] = [];
    client.on('error', (error) => errors.push(error.code));
    await nextState(client, 'reconnecting');
    await client.ready;
    await expect(client.publish('numbers', { n: 1 }, { timeout: 100 })).rejects.toMatchObject({ code: 'timeout' });
    expect(server.connections()).toBe(2);
    expect(errors).toEqual(['malformed', 'malformed']);
  });
});
