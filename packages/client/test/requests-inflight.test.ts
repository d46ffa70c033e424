import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connect, startServer } from './support/harness';

const OFF = { rateLimits: { messagesPerConnection: false, publishesPerUser: false } } as const;

/** 2,000 chat messages whose publish frames are 72 bytes each. */
function messages(): { text: string }[] {
  return Array.from({ length: 2_000 }, (_, i) => ({ text: `m${i}`.padEnd(18, '.') }));
}

describe('requests in flight (issue #15, item 5)', () => {
  it('acks 2,000 publishes of 72 bytes made back to back with rate limits off', async () => {
    const server = await startServer({ security: OFF });
    const client = connect(server.url);
    await client.ready;
    const results = await Promise.allSettled(messages().map((data) => client.publish('chat', data)));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
  });

  it("keeps its own requests in flight at the server's welcome.limits.maxInflight, queueing the rest", async () => {
    let release = (): void => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    // The server holds the first publish, so nothing is answered until release().
    const server = await startServer({
      maxInflight: 4,
      security: OFF,
      filter: async () => {
        await held;
        return true;
      },
    });
    const sent: string[] = [];
    class CountingWebSocket extends WebSocket {
      override send(data: Parameters<WebSocket['send']>[0], ...rest: unknown[]): void {
        if (typeof data === 'string' && data.includes('"publish"')) sent.push(data);
        (super.send as (...args: unknown[]) => void)(data, ...rest);
      }
    }
    const client = connect(server.url, { WebSocket: CountingWebSocket as unknown as typeof WebSocket });
    await client.ready;
    const all = Promise.allSettled(messages().map((data) => client.publish('chat', data)));
    expect(sent.length).toBe(4);
    release();
    const results = await all;
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(sent.length).toBe(2_000);
  });
});
