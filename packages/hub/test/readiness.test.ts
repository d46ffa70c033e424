import { describe, expect, it } from 'vitest';
import { hubClient, startTestHub } from './support/test-hub';

describe('/readyz', () => {
  it('turns 503 as soon as the hub starts stopping, while connections are still closing', async () => {
    await using t = await startTestHub();
    const client = hubClient(t.wsUrl);
    await client.subscribe('news', () => {}).ready;
    // The close handshake with the client takes a round trip: the HTTP server still answers meanwhile.
    const closing = t.hub.close();
    const readiness = await fetch(`${t.base}/readyz`);
    expect(readiness.status).toBe(503);
    expect(await readiness.json()).toEqual({ status: 'stopping' });
    await closing;
    client.close();
  });
});
