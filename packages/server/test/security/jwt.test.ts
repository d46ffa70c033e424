import { type JWTPayload, SignJWT, UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import type { AuthRequest } from '../../src/security/admission';
import { createJwtAuth, type JwtAuthOptions, type JwtFailure } from '../../src/security/jwt';
import type { ConnectionInfo } from '../../src/security/principal';

/** The tests' clock: a fixed instant, in seconds since the epoch. */
const NOW = 1_700_000_000;
const SECRET = new TextEncoder().encode('0123456789abcdef0123456789abcdef');

/** Signs `claims`; an hour's `exp` unless the claims set one (`exp: undefined` leaves it out). */
/** Signs `claims`, with `exp` an hour ahead unless given (`exp: undefined`: a token without one). */
function sign(
  claims: { readonly [K in keyof JWTPayload]?: JWTPayload[K] | undefined },
  alg = 'HS256',
  key: Uint8Array = SECRET,
): Promise<string> {
  const payload: JWTPayload = { exp: NOW + 3_600 };
  for (const [name, value] of Object.entries(claims)) {
    if (value === undefined) delete payload[name];
    else payload[name] = value;
  }
  return new SignJWT(payload).setProtectedHeader({ alg }).sign(key);
}

/** An HS256 verifier on the fixed clock, collecting the refusal reasons. */
function setup(options: Partial<JwtAuthOptions> = {}) {
  const reasons: JwtFailure[] = [];
  const jwt = createJwtAuth({ secret: SECRET, now: () => NOW * 1000, onError: (r) => reasons.push(r), ...options });
  return { ...jwt, reasons };
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const SECRET_512 = new TextEncoder().encode('k'.repeat(64));

async function parts(): Promise<[string, string, string]> {
  return (await sign({ sub: 'u1' })).split('.') as [string, string, string];
}

/** A valid token whose signature has its first character changed. */
async function tamperedSignature(): Promise<string> {
  const [header, payload, signature] = await parts();
  return `${header}.${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
}

/** A valid token's signature over another payload. */
async function tamperedPayload(): Promise<string> {
  const [header, , signature] = await parts();
  return `${header}.${base64url({ sub: 'admin' })}.${signature}`;
}

/** A valid token relabelled `alg: none`, signature kept. */
async function noneKeepingSignature(): Promise<string> {
  const [, payload, signature] = await parts();
  return `${base64url({ alg: 'none' })}.${payload}.${signature}`;
}

describe('createJwtAuth (HS256 claims)', () => {
  const sub = 'u1';
  const cases: [string, Partial<JwtAuthOptions>, Parameters<typeof sign>[0], JwtFailure | null][] = [
    ['valid', {}, { sub, exp: NOW + 60 }, null],
    ['expired', {}, { sub, exp: NOW - 60 }, 'expired'],
    ['expired within the default 5 s tolerance', {}, { sub, exp: NOW - 4 }, null],
    ['expired just past the default tolerance', {}, { sub, exp: NOW - 6 }, 'expired'],
    ['clockTolerance 0', { clockTolerance: 0 }, { sub, exp: NOW - 1 }, 'expired'],
    ['clockTolerance 30', { clockTolerance: 30 }, { sub, exp: NOW - 20 }, null],
    ['no exp: refused by default (valid forever otherwise)', {}, { sub, exp: undefined }, 'missing expiry'],
    ['no exp, requireExpiry: false', { requireExpiry: false }, { sub, exp: undefined }, null],
    ['not yet valid', {}, { sub, nbf: NOW + 60 }, 'not yet valid'],
    ['nbf within tolerance', {}, { sub, nbf: NOW + 4 }, null],
    ['wrong audience', { audience: 'realtime' }, { sub, aud: 'billing' }, 'wrong audience'],
    ['missing audience', { audience: 'realtime' }, { sub }, 'wrong audience'],
    ['audience one of a list', { audience: ['chat', 'realtime'] }, { sub, aud: 'realtime' }, null],
    ['audience claim as a list', { audience: 'realtime' }, { sub, aud: ['x', 'realtime'] }, null],
    ['wrong issuer', { issuer: 'https://id.example.com' }, { sub, iss: 'https://evil.com' }, 'wrong issuer'],
    ['right issuer', { issuer: 'https://id.example.com' }, { sub, iss: 'https://id.example.com' }, null],
    ['missing sub', {}, { name: 'Ada' }, 'missing subject'],
    ['empty sub', {}, { sub: '' }, 'missing subject'],
    ['older than maxTokenAge', { maxTokenAge: 60 }, { sub, iat: NOW - 120 }, 'too old'],
    ['maxTokenAge requires iat', { maxTokenAge: 60 }, { sub }, 'invalid claims'],
    ['within maxTokenAge', { maxTokenAge: 60 }, { sub, iat: NOW - 30 }, null],
  ];

  it.each(cases)('%s', async (_name, options, claims, reason) => {
    const { verify, reasons } = setup(options);
    const principal = await verify(await sign(claims));
    if (reason === null) {
      expect(principal?.id).toBe(sub);
      expect(reasons).toEqual([]);
    } else {
      expect(principal).toBeNull();
      expect(reasons).toEqual([reason]);
    }
  });
});

describe('createJwtAuth (HS256 tokens)', () => {
  it('maps sub, name and exp to the principal', async () => {
    const claims = { sub: 'u1', name: 'Ada', exp: NOW + 60, role: 'admin' };
    expect(await setup().verify(await sign(claims))).toEqual({
      id: 'u1',
      info: { name: 'Ada' },
      expiresAt: (NOW + 60) * 1000,
      claims,
    });
  });

  it('leaves out info and expiresAt without name and exp (requireExpiry: false)', async () => {
    expect(await setup({ requireExpiry: false }).verify(await sign({ sub: 'u1', name: 42, exp: undefined }))).toEqual({
      id: 'u1',
      claims: { sub: 'u1', name: 42 },
    });
  });

  it('accepts a string secret', async () => {
    const { verify } = createJwtAuth({ secret: '0123456789abcdef0123456789abcdef', now: () => NOW * 1000 });
    expect((await verify(await sign({ sub: 'u1' })))?.id).toBe('u1');
  });

  it('honours the real clock by default', async () => {
    const { verify } = createJwtAuth({ secret: SECRET });
    const fresh = await new SignJWT({ sub: 'u1' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('1h')
      .sign(SECRET);
    const stale = await new SignJWT({ sub: 'u1' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('-1h')
      .sign(SECRET);
    expect((await verify(fresh))?.id).toBe('u1');
    expect(await verify(stale)).toBeNull();
  });

  it.each<[string, () => Promise<string>, JwtFailure]>([
    ['tampered signature', tamperedSignature, 'invalid signature'],
    ['tampered payload', tamperedPayload, 'invalid signature'],
    [
      'another secret',
      () => sign({ sub: 'u1' }, 'HS256', new TextEncoder().encode('x'.repeat(32))),
      'invalid signature',
    ],
    ['alg none (unsecured JWT)', async () => new UnsecuredJWT({ sub: 'u1' }).encode(), 'algorithm not allowed'],
    ['alg none with the signature kept', noneKeepingSignature, 'algorithm not allowed'],
    ['an algorithm not configured (HS512)', () => sign({ sub: 'u1' }, 'HS512', SECRET_512), 'algorithm not allowed'],
    ['not a JWT', async () => 'abc', 'malformed'],
    ['three garbage parts', async () => 'a.b.c', 'malformed'],
    ['empty', async () => '', 'malformed'],
    ['oversized', async () => `${'a'.repeat(20_000)}.b.c`, 'malformed'],
  ])('refuses %s', async (_name, token, reason) => {
    const { verify, reasons } = setup();
    expect(await verify(await token())).toBeNull();
    expect(reasons).toEqual([reason]);
  });

  it('accepts several configured HMAC algorithms', async () => {
    const { verify } = setup({ secret: SECRET_512, algorithms: ['HS256', 'HS512'] });
    expect((await verify(await sign({ sub: 'u1' }, 'HS512', SECRET_512)))?.id).toBe('u1');
  });
});

describe('createJwtAuth (hooks)', () => {
  it('uses a custom principal mapping', async () => {
    const { verify } = setup({
      principal: (payload) => ({ id: `user-${payload.sub}`, claims: { role: payload['role'] } }),
    });
    expect(await verify(await sign({ sub: '7', role: 'mod' }))).toEqual({ id: 'user-7', claims: { role: 'mod' } });
  });

  const throwing = (): never => {
    throw new Error('boom');
  };
  it.each<[string, NonNullable<JwtAuthOptions['principal']>]>([
    ['returns null', () => null],
    ['throws', throwing],
    ['returns an empty id', () => ({ id: '' })],
  ])('refuses when the mapping %s', async (_name, principal) => {
    const { verify, reasons } = setup({ principal });
    expect(await verify(await sign({ sub: 'u1' }))).toBeNull();
    expect(reasons).toEqual(['rejected']);
  });

  it('survives an onError hook that throws', async () => {
    const { verify } = setup({ onError: throwing });
    await expect(verify('abc')).resolves.toBeNull();
  });

  it('auth verifies the request token; a missing token is null and not reported', async () => {
    const { auth, reasons } = setup();
    const request = (token: string | undefined) =>
      ({ token, remoteAddress: '1.2.3.4', origin: undefined }) as AuthRequest;
    expect((await auth(request(await sign({ sub: 'u1' }))))?.id).toBe('u1');
    expect(await auth(request(undefined))).toBeNull();
    expect(await auth(request('abc'))).toBeNull();
    expect(reasons).toEqual(['malformed']);
  });

  it('verifyToken verifies in-band refresh tokens', async () => {
    const { verifyToken } = setup();
    const connection = {
      id: 'c1',
      transport: 'websocket',
      principal: null,
      remoteAddress: '1.2.3.4',
      origin: undefined,
    } as ConnectionInfo;
    expect((await verifyToken(await sign({ sub: 'u1' }), connection))?.id).toBe('u1');
    expect(await verifyToken(await sign({ sub: 'u1', exp: NOW - 60 }), connection)).toBeNull();
  });
});

describe('createJwtAuth().sign', () => {
  it('signs a token its own verify accepts: subject, issuer, audience, claims, an hour by default', async () => {
    const { sign, verify } = setup({ issuer: ['my-app', 'other'], audience: 'realtime' });
    const principal = await verify(await sign('ada', { claims: { name: 'Ada', role: 'writer' } }));
    expect(principal).toMatchObject({ id: 'ada', info: { name: 'Ada' }, expiresAt: (NOW + 3_600) * 1000 });
    expect(principal?.claims).toMatchObject({ iss: 'my-app', aud: 'realtime', role: 'writer', iat: NOW });
  });

  it.each([
    [90, 90],
    ['15m', 900],
    ['2h', 7_200],
    ['1d', 86_400],
  ] as const)('expiresIn %s lives %i s on the configured clock', async (expiresIn, seconds) => {
    const { sign, verify } = setup();
    expect((await verify(await sign('ada', { expiresIn })))?.expiresAt).toBe((NOW + seconds) * 1000);
  });

  it('refuses what it cannot sign: a public key, an empty subject, a bad lifetime', async () => {
    const { publicKey } = await import('node:crypto').then((c) => c.generateKeyPairSync('ec', { namedCurve: 'P-256' }));
    await expect(createJwtAuth({ publicKey }).sign('ada')).rejects.toThrow(TypeError);
    await expect(setup().sign('')).rejects.toThrow(TypeError);
    await expect(setup().sign('ada', { expiresIn: 'soon' })).rejects.toThrow(TypeError);
    await expect(setup().sign('ada', { expiresIn: -1 })).rejects.toThrow(TypeError);
  });
});
