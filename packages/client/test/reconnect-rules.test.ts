import { freePort } from '@oxidite/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { CloseCode } from '../src/index';
import { RealtimeError } from '../src/index';
import { connect, nextState, onTeardown, recordStates, startServer, waitFor } from './support/harness';

afterEach(() => {
  vi.useRealTimers();
});

/** A bare `ws` server speaking just enough of the protocol to close connections with a chosen code. */
async function tinyServer(onConnection: (ws: WebSocket, index: number) => void) {
  const wss = new WebSocketServer({
    port: 0,
    host: '127.0.0.1',
    handleProtocols: (offered) => (offered.has('oxidite.v1') ? 'oxidite.v1' : false),
  });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const offered: string[] = [];
  wss.on('connection', (ws, req) => {
    offered.push(String(req.headers['sec-websocket-protocol']));
    onConnection(ws, offered.length);
  });
  onTeardown(
    () =>
      new Promise<void>((resolve) => {
        for (const ws of wss.clients) ws.terminate();
        wss.close(() => resolve());
      }),
  );
  const { port } = wss.address() as { port: number };
  return { url: `ws://127.0.0.1:${port}/ws`, offered };
}

const welcome = JSON.stringify({
  type: 'welcome',
  protocol: 1,
  session: 's1',
  heartbeat: 0,
  limits: { maxPayload: 65_536, maxSubscriptions: 100 },
});

describe('close codes', () => {
  it.each([
    [CloseCode.FORBIDDEN, 'forbidden'],
    [CloseCode.POLICY_VIOLATION, 'unsupported protocol'],
  ])('stops for good on %i', async (code, reason) => {
    const server = await tinyServer((ws) => ws.close(code, reason));
    const client = connect(server.url);
    const states = recordStates(client);
    await expect(client.ready).rejects.toMatchObject({ code: 'disconnected' });
    // Stopping is decided in the close handler itself: no retry was ever scheduled.
    expect(states).toEqual([{ from: 'connecting', to: 'closed', code, reason }]);
    expect(server.offered).toHaveLength(1);
  });

  it('on 4401 fetches a fresh token once and retries, then stops if refused again', async () => {
    const server = await tinyServer((ws) => ws.close(CloseCode.UNAUTHORIZED, 'token expired'));
    let calls = 0;
    const client = connect(server.url, { token: async () => `token-${++calls}` });
    const states = recordStates(client);
    await nextState(client, 'closed');
    expect(calls).toBe(2);
    expect(server.offered).toEqual([
      `oxidite.v1,oxidite.token.${Buffer.from('token-1').toString('base64url')}`,
      `oxidite.v1,oxidite.token.${Buffer.from('token-2').toString('base64url')}`,
    ]);
    expect(states.map(({ to, code }) => [to, code])).toEqual([
      ['reconnecting', 4401],
      ['closed', 4401],
    ]);
  });

  it('stops for good when the real server refuses the account (auth hook throws forbidden → 4403)', async () => {
    let attempts = 0;
    const server = await startServer({
      auth: () => {
        attempts++;
        throw new RealtimeError('forbidden', 'account suspended');
      },
    });
    const client = connect(server.url, { token: 'any' });
    const states = recordStates(client);
    await nextState(client, 'closed');
    expect(states.map(({ to, code, reason }) => [to, code, reason])).toEqual([['closed', 4403, 'account suspended']]);
    expect(attempts).toBe(1);
  });

  it('on 4401 continues when the fresh token is accepted', async () => {
    const server = await tinyServer((ws, index) => {
      if (index === 1) ws.close(CloseCode.UNAUTHORIZED, 'token expired');
      else ws.send(welcome);
    });
    let calls = 0;
    const client = connect(server.url, { token: () => `token-${++calls}` });
    await client.ready;
    expect(calls).toBe(2);
  });

  it.each([CloseCode.INTERNAL_ERROR, CloseCode.TRY_AGAIN_LATER, 4000])('reconnects after %i', async (code) => {
    const server = await tinyServer((ws, index) => {
      if (index === 1) ws.close(code, 'later');
      else ws.send(welcome);
    });
    const client = connect(server.url);
    const states = recordStates(client);
    await client.ready;
    expect(states.map(({ to, code }) => [to, code])).toEqual([
      ['reconnecting', code],
      ['open', undefined],
    ]);
  });

  it('retries with a fresh token when the server refuses its token (4401 right after the handshake)', async () => {
    const server = await startServer({ auth: ({ token }) => (token === 'good' ? { id: 'u1' } : null) });
    const tokens = ['expired', 'good'];
    const client = connect(server.url, { token: () => tokens.shift() });
    const states = recordStates(client);
    await client.ready;
    expect(states.map(({ to, code }) => [to, code])).toEqual([
      ['reconnecting', 4401],
      ['open', undefined],
    ]);
  });

  it('retries when the url provider fails, and reports it', async () => {
    const server = await startServer();
    let calls = 0;
    const client = connect('unused', {
      url: async () => {
        if (++calls === 1) throw new Error('config service down');
        return server.url;
      },
    });
    const error = await waitFor<RealtimeError>((done) => client.on('error', done), 'an error event');
    expect(error).toMatchObject({
      message: 'the url provider failed',
      cause: expect.objectContaining({ message: 'config service down' }),
    });
    await client.ready;
    expect(calls).toBe(2);
  });

  it('gives up after maxRetries failed attempts in a row', async () => {
    const port = await freePort(); // nothing listens: every attempt is refused (1006)
    let attempts = 0;
    const client = connect('unused', {
      url: () => {
        attempts++;
        return `ws://127.0.0.1:${port}/ws`;
      },
      reconnect: { maxRetries: 3 },
    });
    const closed = await nextState(client, 'closed');
    expect(attempts).toBe(4);
    expect(closed).toMatchObject({ code: 1006, reason: expect.stringMatching(/gave up after 3 retries/) });
  });

  it('gives up with no dangling colon when the last close had no reason', async () => {
    // Each attempt is cut without a close frame: 1006 with an empty reason.
    const server = await tinyServer((ws) => ws.terminate());
    const client = connect(server.url, { reconnect: { maxRetries: 1 } });
    const closed = await nextState(client, 'closed');
    expect(closed).toEqual({ from: 'reconnecting', to: 'closed', code: 1006, reason: 'gave up after 1 retries' });
  });

  it('announces a close() made inside a state listener after the change that caused it', async () => {
    const server = await tinyServer((ws) => ws.send(welcome));
    const client = connect(server.url);
    const seen: string[] = [];
    client.on('state', ({ to }) => {
      seen.push(`first:${to}`);
      if (to === 'open') client.close();
    });
    client.on('state', ({ to }) => seen.push(`second:${to}`));
    await nextState(client, 'closed');
    expect(seen).toEqual(['first:open', 'second:open', 'first:closed', 'second:closed']);
  });

  it('never reconnects after close(), even with retries pending', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    const port = await freePort();
    let attempts = 0;
    const client = connect('unused', {
      url: () => {
        attempts++;
        return `ws://127.0.0.1:${port}/ws`;
      },
    });
    const states = recordStates(client);
    await nextState(client, 'reconnecting'); // the first attempt was refused; a retry is scheduled
    client.close();
    await vi.advanceTimersByTimeAsync(120_000); // far past any backoff delay
    expect(attempts).toBe(1);
    expect(states.map((s) => s.to)).toEqual(['reconnecting', 'closed']);
  });
});
