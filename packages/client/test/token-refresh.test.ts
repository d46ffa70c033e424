import { createJwtAuth, type Principal } from '@oxidite/server';
import { describe, expect, it } from 'vitest';
import { isFresher } from '../src/connection/token-refresh';
import { connect, createCondition, nextState, recordStates, startServer } from './support/harness';

/** An unsigned JWT with this payload: `isFresher` reads `exp` and never verifies. */
const jwt = (payload: object): string =>
  `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.c2ln`;

describe('token refresh with a provider that gives no fresher token', () => {
  it('asks a caching provider at most once more, sends nothing back, and lets the expiry close decide', async () => {
    // The outside run: a provider that always returns one JWT. Sent back, the server accepted it
    // each time and asked again at half the time left: 12 asks, six of them in the same 10 ms.
    const jwtAuth = createJwtAuth({ secret: 'a-test-secret-of-at-least-32-bytes!!' });
    const stale = await jwtAuth.sign('u1', { expiresIn: '3s' });
    const refreshes: string[] = [];
    const server = await startServer({
      auth: jwtAuth.auth,
      verifyToken: (token, connection) => {
        refreshes.push(token);
        return jwtAuth.verifyToken(token, connection);
      },
    });
    let asks = 0;
    const client = connect(server.url, {
      token: () => {
        asks++;
        return stale;
      },
    });
    const states = recordStates(client);
    await nextState(client, 'closed', 15_000);
    // The connection, the server's `refresh`, one more ask halfway to the deadline, and the
    // reconnect after the expiry's 4401 (the expired token is refused: a second 4401 stops).
    expect(asks).toBeLessThanOrEqual(4);
    expect(refreshes).toEqual([]);
    expect(states.map(({ to, code }) => [to, code])).toEqual([
      ['open', undefined],
      ['reconnecting', 4401],
      ['closed', 4401],
    ]);
  });

  it('sends the fresh token that the one more ask brings', async () => {
    const verified: string[] = [];
    const arrived = createCondition();
    const server = await startServer({
      // The connection's token lives 3 s: the server asks for a fresh one 1.5 s before expiry.
      auth: (): Principal => ({ id: 'u1', expiresAt: Date.now() + 3_000 }),
      verifyToken: async (token) => {
        verified.push(token);
        arrived.notify();
        return { id: 'u1', expiresAt: Date.now() + 3_600_000 };
      },
    });
    const answers = ['cached', 'cached', 'renewed'];
    let asks = 0;
    const client = connect(server.url, { token: () => answers[asks++] ?? 'renewed' });
    await arrived.until(() => verified.length > 0, 'an auth envelope', 15_000);
    expect(verified).toEqual(['renewed']);
    expect(asks).toBe(3);
    await client.rpc('echo', { x: 1 }).catch(() => {}); // a round trip: the ack was processed
    expect(client.state).toBe('open');
  });
});

describe('isFresher', () => {
  it('takes another opaque token as fresher, never the same one', () => {
    expect(isFresher('b', 'a')).toBe(true);
    expect(isFresher('a', 'a')).toBe(false);
    expect(isFresher('a', undefined)).toBe(true);
  });

  it('compares the exp of JWTs: only a later one is fresher', () => {
    const current = jwt({ sub: 'u1', exp: 1_000 });
    expect(isFresher(jwt({ sub: 'u1', exp: 1_001 }), current)).toBe(true);
    expect(isFresher(jwt({ sub: 'u1', exp: 1_000, n: 2 }), current)).toBe(false);
    expect(isFresher(jwt({ sub: 'u1', exp: 999 }), current)).toBe(false);
    // Where either has no readable exp there is nothing to compare: a different string may be fresher.
    expect(isFresher(jwt({ sub: 'u1' }), current)).toBe(true);
    expect(isFresher('opaque', current)).toBe(true);
    expect(isFresher(jwt({ exp: 5 }), 'not.a-jwt!.x')).toBe(true);
  });
});
