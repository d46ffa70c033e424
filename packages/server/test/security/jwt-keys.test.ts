import { createPublicKey, createSecretKey } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, type JWK, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createJwtAuth, type JwtAuthOptions, type JwtFailure } from '../../src/security/jwt';

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

function sign(alg: string, key: KeyPair['privateKey'] | Uint8Array, kid?: string): Promise<string> {
  return new SignJWT({ sub: 'u1' })
    .setExpirationTime('1h')
    .setProtectedHeader({ alg, ...(kid ? { kid } : {}) })
    .sign(key);
}

function withReasons(options: JwtAuthOptions) {
  const reasons: JwtFailure[] = [];
  return { ...createJwtAuth({ ...options, onError: (r) => reasons.push(r) }), reasons };
}

/** A JWKS endpoint on 127.0.0.1:0 (loopback only), disposed with `await using`. */
async function serveJwks(respond: () => { status: number; body: unknown }) {
  let requests = 0;
  const server = createServer((_req, res) => {
    requests++;
    const { status, body } = respond();
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const close = async () => {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  };
  return {
    url: new URL(`http://127.0.0.1:${port}/.well-known/jwks.json`),
    requests: () => requests,
    [Symbol.asyncDispose]: close,
  };
}

let rsa: KeyPair;
let otherRsa: KeyPair;
let ec: KeyPair;
let otherEc: KeyPair;
let rsaPem: string;
let ecJwk: JWK;

beforeAll(async () => {
  [rsa, otherRsa, ec, otherEc] = await Promise.all([
    generateKeyPair('RS256', { extractable: true }),
    generateKeyPair('RS256'),
    generateKeyPair('ES256', { extractable: true }),
    generateKeyPair('ES256'),
  ]);
  rsaPem = await exportSPKI(rsa.publicKey);
  ecJwk = { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' };
});

describe('createJwtAuth with an RS256 public key (PEM)', () => {
  it('accepts a token signed by the private key', async () => {
    const { verify } = createJwtAuth({ publicKey: rsaPem });
    expect((await verify(await sign('RS256', rsa.privateKey)))?.id).toBe('u1');
  });

  it.each([
    ['a CryptoKey', () => rsa.publicKey],
    ['a Node KeyObject', () => createPublicKey(rsaPem)],
  ])('accepts the key as %s', async (_name, key) => {
    const { verify } = createJwtAuth({ publicKey: key() });
    expect((await verify(await sign('RS256', rsa.privateKey)))?.id).toBe('u1');
  });

  it.each([
    ['signed by another key', () => sign('RS256', otherRsa.privateKey), 'invalid signature'],
    [
      'HS256 keyed with the public PEM (algorithm confusion)',
      () => sign('HS256', new TextEncoder().encode(rsaPem)),
      'algorithm not allowed',
    ],
    ['ES256 against an RSA key', () => sign('ES256', ec.privateKey), 'unverifiable'],
  ] as const)('refuses a token %s', async (_name, token, reason) => {
    const { verify, reasons } = withReasons({ publicKey: rsaPem });
    expect(await verify(await token())).toBeNull();
    expect(reasons).toEqual([reason]);
  });
});

describe('createJwtAuth with a local JWKS (ES256)', () => {
  it('accepts a token whose kid is in the set', async () => {
    const { verify } = createJwtAuth({ jwks: { keys: [ecJwk] } });
    expect((await verify(await sign('ES256', ec.privateKey, 'ec-1')))?.id).toBe('u1');
  });

  it.each([
    ['with an unknown kid', () => sign('ES256', ec.privateKey, 'ec-9'), 'no matching key'],
    ['signed by another key under the same kid', () => sign('ES256', otherEc.privateKey, 'ec-1'), 'invalid signature'],
    ['for an algorithm the set has no key for', () => sign('RS256', rsa.privateKey, 'ec-1'), 'no matching key'],
  ] as const)('refuses a token %s', async (_name, token, reason) => {
    const { verify, reasons } = withReasons({ jwks: { keys: [ecJwk] } });
    expect(await verify(await token())).toBeNull();
    expect(reasons).toEqual([reason]);
  });
});

describe('createJwtAuth with a remote JWKS', () => {
  it('fetches the set over loopback and caches it', async () => {
    await using jwks = await serveJwks(() => ({ status: 200, body: { keys: [ecJwk] } }));
    const { verify } = createJwtAuth({ jwks: jwks.url });
    expect((await verify(await sign('ES256', ec.privateKey, 'ec-1')))?.id).toBe('u1');
    expect((await verify(await sign('ES256', ec.privateKey, 'ec-1')))?.id).toBe('u1');
    expect(jwks.requests()).toBe(1);
  });

  it('refuses tokens while the set cannot be fetched', async () => {
    await using jwks = await serveJwks(() => ({ status: 500, body: { error: 'down' } }));
    const { verify, reasons } = withReasons({ jwks: jwks.url });
    expect(await verify(await sign('ES256', ec.privateKey, 'ec-1'))).toBeNull();
    expect(reasons).toEqual(['key unavailable']);
  });
});

describe('createJwtAuth option errors', () => {
  const secret = 'k'.repeat(32);
  it.each<[string, () => JwtAuthOptions]>([
    ['no key source', () => ({})],
    ['two key sources', () => ({ secret, publicKey: rsaPem })],
    ['alg none', () => ({ secret, algorithms: ['none'] })],
    ['an unknown algorithm', () => ({ secret, algorithms: ['HS1024'] })],
    ['no algorithm', () => ({ secret, algorithms: [] })],
    ['an HMAC algorithm with a public key', () => ({ publicKey: rsaPem, algorithms: ['HS256'] })],
    ['a public-key algorithm with a secret', () => ({ secret, algorithms: ['RS256'] })],
    ['a secret shorter than 256 bits', () => ({ secret: 'short' })],
    ['a 256-bit secret for HS512', () => ({ secret, algorithms: ['HS512'] })],
    ['a PEM that is not a key', () => ({ publicKey: '-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----' })],
    ['a secret KeyObject as publicKey', () => ({ publicKey: createSecretKey(Buffer.alloc(32)) })],
    ['a private KeyObject as publicKey', () => ({ publicKey: rsa.privateKey })],
    ['a JWKS URL over plain http', () => ({ jwks: new URL('http://id.example.com/jwks.json') })],
    ['an inline JWKS whose keys are not objects', () => ({ jwks: { keys: [null as unknown as JWK] } })],
    ['a negative clockTolerance', () => ({ secret, clockTolerance: -1 })],
    ['a zero maxTokenAge', () => ({ secret, maxTokenAge: 0 })],
  ])('throws a TypeError for %s', (_name, options) => {
    expect(() => createJwtAuth(options())).toThrow(TypeError);
  });

  it('accepts an https JWKS URL without fetching it up front', () => {
    expect(() => createJwtAuth({ jwks: new URL('https://id.example.com/jwks.json') })).not.toThrow();
  });
});
