import { describe, expect, it } from 'vitest';
import { useTestResources } from './support/clients';
import { startTestServer } from './support/test-server';

const t = useTestResources();

describe('/realtime/details', () => {
  it('lists exactly the SSE events a stream carries (PROTOCOL.md §1.2)', async () => {
    const server = t.track(await startTestServer());
    const details = (await (await fetch(`http://127.0.0.1:${server.port}/realtime/details`)).json()) as {
      sse: { events: string[] };
    };
    expect(details.sse.events).toEqual(['subscribed', 'message', 'presence', 'error', 'broadcast', 'close']);
  });

  it("advises the client's reconnect defaults, with the largest safe integer for never giving up (JSON has no Infinity)", async () => {
    const server = t.track(await startTestServer());
    const details = (await (await fetch(`http://127.0.0.1:${server.port}/realtime/details`)).json()) as {
      websocket: { reconnect: unknown };
    };
    // The server README documents this value; `@oxidite/client` defaults to Infinity, 500, 30_000.
    expect(details.websocket.reconnect).toEqual({
      maxRetries: Number.MAX_SAFE_INTEGER,
      minDelay: 500,
      maxDelay: 30_000,
    });
  });
});
