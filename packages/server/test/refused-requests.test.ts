import { describe, expect, it } from 'vitest';
import { useTestResources } from './support/clients';
import { startTestServer } from './support/test-server';

const t = useTestResources();

/** Two attempts per address, then 429 (the bucket does not refill during a test). */
const TIGHT = { security: { rateLimits: { connectionsPerAddress: { capacity: 2, refillPerSecond: 0.001 } } } };

/**
 * The README's security table: requests the server answers without serving them cost their address
 * a connection attempt, as stray upgrades do (security/request-charge.ts), so they are no free way
 * to make it work; a monitoring GET or HEAD that succeeds is never rate limited.
 */
describe('requests the server refuses are charged to the address', () => {
  it.each([
    ['PUT', '/events?topic=chat:lobby', 405],
    ['DELETE', '/realtime/details', 405],
    ['POST', '/metrics', 405],
    ['GET', '/events', 400],
    ['GET', '/nope', 404],
  ])('%s %s: %i, then 429 with Retry-After past the connection rate', async (method, path, status) => {
    const server = t.track(await startTestServer(TIGHT));
    const answers: Response[] = [];
    for (let i = 0; i < 3; i++) answers.push(await fetch(`http://127.0.0.1:${server.port}${path}`, { method }));
    expect(answers.map((answer) => answer.status)).toEqual([status, status, 429]);
    expect(Number(answers[2]?.headers.get('retry-after'))).toBeGreaterThan(0);
    if (status === 405) expect(answers[0]?.headers.get('allow')).toMatch(/GET, HEAD/);
  });

  it('a GET or HEAD of /metrics and /realtime/details that succeeds is never rate limited', async () => {
    const server = t.track(await startTestServer(TIGHT));
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      for (const path of ['/metrics', '/realtime/details']) {
        for (const method of ['GET', 'HEAD']) {
          statuses.push((await fetch(`http://127.0.0.1:${server.port}${path}`, { method })).status);
        }
      }
    }
    expect(statuses).toEqual(Array(16).fill(200));
  });
});
