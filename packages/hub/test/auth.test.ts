import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SUBPROTOCOL } from '@oxidite/protocol';
import { createJwtAuth } from '@oxidite/server';
import { eventually } from '@oxidite/test-utils';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { hubClient, startTestHub } from './support/test-hub';

const SECRET = 'a-test-secret-of-at-least-32-characters';

/** The close code a raw WebSocket gets, or 'open' when it is welcomed (then closed by us). */
function connectOutcome(url: string, token?: string, origin?: string): Promise<number | 'open' | string> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    if (origin) headers['origin'] = origin;
    const socket = new WebSocket(url, [SUBPROTOCOL], { headers });
    socket.on('message', (data: Buffer) => {
      if ((JSON.parse(data.toString()) as { type?: string }).type !== 'welcome') return;
      resolve('open');
      socket.close();
    });
    socket.on('unexpected-response', (_req, res) => {
      resolve(`http ${res.statusCode}`);
      socket.terminate();
    });
    socket.on('close', (code) => resolve(code));
    socket.on('error', () => {});
  });
}

/** A fake app backend for the connect proxy: answers with `decide(question)`, counts questions. */
async function startBackend(decide: (question: Record<string, unknown>) => unknown) {
  const questions: Record<string, unknown>[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    req.on('end', () => {
      const question = JSON.parse(text) as Record<string, unknown>;
      questions.push(question);
      const answer = decide(question);
      if (answer === 'hang') return; // never answers: the hub's timeout decides
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/realtime`,
    questions,
    [Symbol.dispose]: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

/** Signs a JWT with node:crypto alone (RS256 or ES256), as an identity provider would. */
function signJwt(alg: 'RS256' | 'ES256', key: KeyObject, sub: string, kid?: string): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${part({ alg, typ: 'JWT', ...(kid ? { kid } : {}) })}.${part({ sub, exp: Math.floor(Date.now() / 1000) + 300 })}`;
  const signature = createSign('SHA256')
    .update(input)
    .sign(alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' } : key);
  return `${input}.${signature.toString('base64url')}`;
}

describe('browser auth', () => {
  it('verifies JWTs with createJwtAuth: a valid token connects as its user, others are refused', async () => {
    await using t = await startTestHub({ auth: { jwt: { secret: SECRET, issuer: 'app' } } });
    const jwt = createJwtAuth({ secret: SECRET, issuer: 'app' });
    const token = await jwt.sign('42', { expiresIn: '5m' });
    expect(await connectOutcome(t.wsUrl, token)).toBe('open');
    expect(await connectOutcome(t.wsUrl)).toBe(4401);
    const stranger = await createJwtAuth({ secret: `${SECRET}-other`, issuer: 'app' }).sign('42', { expiresIn: '5m' });
    expect(await connectOutcome(t.wsUrl, stranger)).toBe(4401);
    // owned topics: user 42 reads notifications:42, not notifications:43
    const client = hubClient(t.wsUrl, { token });
    await client.subscribe('notifications:42', () => {}).ready;
    await expect(client.subscribe('notifications:43', () => {}).ready).rejects.toMatchObject({ code: 'forbidden' });
    client.close();
  });

  it('admits only the configured browser origins', async () => {
    await using t = await startTestHub({ origins: ['https://app.example.com'] });
    expect(await connectOutcome(t.wsUrl, undefined, 'https://app.example.com')).toBe('open');
    expect(await connectOutcome(t.wsUrl, undefined, 'https://evil.example.com')).toBe(1008);
  });

  it('verifies RS256 tokens with a PEM public key and ES256 tokens from a JWKS URL', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    await using rs = await startTestHub({ auth: { jwt: { publicKey: pem, algorithms: ['RS256'] } } });
    expect(await connectOutcome(rs.wsUrl, signJwt('RS256', rsa.privateKey, '7'))).toBe('open');
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    expect(await connectOutcome(rs.wsUrl, signJwt('RS256', other.privateKey, '7'))).toBe(4401);

    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = { ...ec.publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'ES256', use: 'sig' };
    const keySet = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })),
    );
    await new Promise<void>((resolve) => keySet.listen(0, '127.0.0.1', resolve));
    try {
      const jwksUrl = `http://127.0.0.1:${(keySet.address() as AddressInfo).port}/jwks.json`;
      await using es = await startTestHub({ auth: { jwt: { jwksUrl } } });
      expect(await connectOutcome(es.wsUrl, signJwt('ES256', ec.privateKey, '8', 'k1'))).toBe('open');
      expect(await connectOutcome(es.wsUrl, signJwt('RS256', rsa.privateKey, '8', 'k1'))).toBe(4401);
    } finally {
      keySet.closeAllConnections();
      keySet.close();
    }
  });

  it('asks the connect proxy: allow names the user, deny refuses with 4403, answers are cached', async () => {
    using backend = await startBackend((q) =>
      q['token'] === 'good' ? { allow: true, user: 'ada' } : { allow: false },
    );
    await using t = await startTestHub({ auth: { connectProxy: { url: backend.url, cacheTtlMs: 60_000 } } });
    expect(await connectOutcome(t.wsUrl, 'good')).toBe('open');
    expect(await connectOutcome(t.wsUrl, 'good')).toBe('open');
    expect(await connectOutcome(t.wsUrl, 'bad')).toBe(4403);
    expect(backend.questions).toEqual([
      { action: 'connect', user: null, token: 'good', remoteAddress: '127.0.0.1', origin: null },
      { action: 'connect', user: null, token: 'bad', remoteAddress: '127.0.0.1', origin: null },
    ]);
    const client = hubClient(t.wsUrl, { token: 'good' });
    await client.subscribe('chat:lobby', () => {}).ready;
    await eventually(async () => {
      const presence = await t.api('/api/presence?topic=chat:lobby', { key: 'presence' });
      expect(presence.body?.['members']).toEqual([expect.objectContaining({ user: 'ada' })]);
    }, 'ada present');
    client.close();
  });

  it('refuses when the proxy times out, and asks about subscriptions when told to', async () => {
    using backend = await startBackend((q) => {
      if (q['action'] === 'connect') return q['token'] === 'slow' ? 'hang' : { allow: true, user: 'bo' };
      return { allow: q['topic'] === 'chat:open' };
    });
    // A short timeout only where the backend hangs for good: an answering backend on a loaded
    // machine may take longer than 200 ms, and must not be refused for it.
    await using impatient = await startTestHub({
      auth: { connectProxy: { url: backend.url, timeoutMs: 200, subscriptions: true } },
    });
    expect(await connectOutcome(impatient.wsUrl, 'slow')).toBe(4403);
    await using t = await startTestHub({
      auth: { connectProxy: { url: backend.url, timeoutMs: 10_000, subscriptions: true } },
    });
    const client = hubClient(t.wsUrl, { token: 'fine' });
    await client.subscribe('chat:open', () => {}).ready;
    await expect(client.subscribe('chat:closed', () => {}).ready).rejects.toMatchObject({ code: 'forbidden' });
    expect(backend.questions).toContainEqual({ action: 'subscribe', user: 'bo', topic: 'chat:closed' });
    client.close();
  });
});
