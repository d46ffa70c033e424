import { TOKEN_SUBPROTOCOL_PREFIX, SUBPROTOCOL } from '@oxidite/protocol';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createJwtAuth } from '../src/index';
import { RawClient } from './support/raw-client';
import { useTestResources } from './support/clients';
import { startTestServer } from './support/test-server';

const t = useTestResources();
const secret = new TextEncoder().encode('a-test-secret-that-is-32-bytes-long!');
const jwt = createJwtAuth({ secret, issuer: 'oxidite-tests', audience: 'realtime' });

async function token(claims: { sub?: string; aud?: string; iss?: string; exp?: number | string }, key = secret) {
  let builder = new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setIssuedAt();
  if (claims.sub) builder = builder.setSubject(claims.sub);
  builder = builder.setIssuer(claims.iss ?? 'oxidite-tests').setAudience(claims.aud ?? 'realtime');
  builder = builder.setExpirationTime(claims.exp ?? '10m');
  return builder.sign(key);
}

/** 'welcome' when admitted; otherwise the close code an Oxidite client gets (4401 for bad tokens). */
async function outcome(url: string, options: ConstructorParameters<typeof RawClient>[1]): Promise<string> {
  const client = t.adopt(new RawClient(url, options));
  const welcomed = client.next('welcome').then(() => 'welcome');
  const closed = client.closed.then(({ code }) => `close ${code}`);
  return Promise.race([welcomed, closed]);
}

describe('JWT authentication attacks (real server, jose)', () => {
  const refused = 'close 4401';
  const cases: [attack: string, make: () => Promise<string>, expected: string][] = [
    ['valid token', () => token({ sub: 'ada' }), 'welcome'],
    ['forged signature (another key)', () => token({ sub: 'ada' }, new TextEncoder().encode('x'.repeat(40))), refused],
    ['expired', () => token({ sub: 'ada', exp: Math.floor(Date.now() / 1000) - 3_600 }), refused],
    ['wrong audience', () => token({ sub: 'ada', aud: 'billing' }), refused],
    ['wrong issuer', () => token({ sub: 'ada', iss: 'evil' }), refused],
    ['no subject', () => token({}), refused],
    [
      'alg none',
      async () => `${btoa('{"alg":"none"}').replace(/=/g, '')}.${btoa('{"sub":"ada"}').replace(/=/g, '')}.`,
      refused,
    ],
    ['garbage', async () => 'not.a.jwt', refused],
  ];
  it.each(cases)('%s in the Authorization header → %s', async (_attack, make, expected) => {
    const server = t.track(await startTestServer({ ...jwt }));
    expect(await outcome(server.url, { headers: { authorization: `Bearer ${await make()}` } })).toBe(expected);
  });

  it('accepts the token as a subprotocol (browsers) and never echoes it', async () => {
    const server = t.track(await startTestServer({ ...jwt }));
    const encoded = Buffer.from(await token({ sub: 'ada' })).toString('base64url');
    const client = await t.connect(server.url, { protocols: [SUBPROTOCOL, `${TOKEN_SUBPROTOCOL_PREFIX}${encoded}`] });
    expect(client.ws.protocol).toBe(SUBPROTOCOL);
    expect(await client.subscribe('user:ada')).toMatchObject({ type: 'subscribed' });
  });

  it('refreshes in-band with a fresh JWT for the same user, refuses one for another user', async () => {
    const server = t.track(await startTestServer({ ...jwt }));
    const client = await t.connect(server.url, { headers: { authorization: `Bearer ${await token({ sub: 'ada' })}` } });
    client.send({ type: 'auth', id: 1, token: await token({ sub: 'bob' }) });
    expect(await client.next('error', (e) => e.id === 1)).toMatchObject({ code: 'forbidden' });
    client.send({ type: 'auth', id: 2, token: await token({ sub: 'ada', exp: Math.floor(Date.now() / 1000) - 10 }) });
    expect(await client.next('error', (e) => e.id === 2)).toMatchObject({ code: 'unauthorized' });
    client.send({ type: 'auth', id: 3, token: await token({ sub: 'ada' }) });
    await client.next('ack', (e) => e.id === 3);
  });
});
