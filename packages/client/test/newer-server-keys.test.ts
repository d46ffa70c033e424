import { describe, expect, it } from 'vitest';
import type { WebSocket as ServerSocket } from 'ws';
import { collect, connect } from './support/harness';
import { startScriptedServer } from './support/scripted-server';

// The client checks each envelope where `JSON.parse` left it (issue #18 goal 7), so keys a newer
// server adds stay on it: they must never reach the application.

describe('keys a newer server adds to an envelope', () => {
  it('are ignored: a handler gets the payload and a fresh meta of topic, offset and ts only', async () => {
    const onConnection = (ws: ServerSocket): void => {
      ws.on('message', (raw) => {
        const request = JSON.parse(String(raw)) as { type: string; id: number };
        if (request.type !== 'subscribe') return;
        const extra = { priority: 'high', cause: 'x', type2: 'message' };
        ws.send(
          JSON.stringify({
            type: 'subscribed',
            id: request.id,
            topic: 'numbers',
            offset: 'e1:0',
            recovered: true,
            ...extra,
          }),
        );
        for (const seq of [1, 2]) {
          ws.send(
            JSON.stringify({
              type: 'message',
              topic: 'numbers',
              offset: `e1:${seq}`,
              data: { n: seq },
              ts: seq,
              ...extra,
            }),
          );
        }
      });
    };
    const server = await startScriptedServer({ onConnection });
    const client = connect(server.url);
    const numbers = collect(client, 'numbers');
    await numbers.count(2);
    expect(numbers.data()).toStrictEqual([{ n: 1 }, { n: 2 }]);
    const metas = numbers.messages.map((message) => message.meta);
    expect(metas).toStrictEqual([
      { topic: 'numbers', offset: 'e1:1', ts: 1 },
      { topic: 'numbers', offset: 'e1:2', ts: 2 },
    ]);
    expect(metas[0]).not.toBe(metas[1]);
  });

  it('do not leak into the error a server error envelope becomes', async () => {
    const server = await startScriptedServer({
      onConnection: (ws) => {
        ws.on('message', (raw) => {
          const request = JSON.parse(String(raw)) as { type: string; id: number };
          if (request.type !== 'publish') return;
          ws.send(
            JSON.stringify({
              type: 'error',
              id: request.id,
              code: 'rejected',
              message: 'no',
              cause: 'leaked',
              retryAfter: 5,
            }),
          );
        });
      },
    });
    const client = connect(server.url);
    const error = await client.publish('numbers', { n: 1 }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'rejected', message: 'no', retryAfter: 5 });
    expect((error as Error).cause).toBeUndefined();
  });
});
