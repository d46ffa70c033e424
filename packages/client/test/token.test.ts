import { SUBPROTOCOL } from '@oxidite/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { clientSubprotocols, createClient, RealtimeError, toBase64Url } from '../src/index';
import { topics } from './support/topics';

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('token transport', () => {
  it('encodes base64url exactly like Node, for every padding length and for non-ASCII text', () => {
    const samples = ['', 'a', 'ab', 'abc', 'abcd', 'eyJhbGciOiJIUzI1NiJ9.e30.sig', 'ünïcødé ✓ 🚀', '\u0000\u00ff>>??'];
    for (const text of samples) expect(toBase64Url(text)).toBe(Buffer.from(text, 'utf8').toString('base64url'));
  });

  it('offers oxidite.v1 and, with a token, oxidite.token.<base64url>', () => {
    expect(clientSubprotocols()).toEqual([SUBPROTOCOL]);
    expect(clientSubprotocols('')).toEqual([SUBPROTOCOL]);
    expect(clientSubprotocols('tök/en+=')).toEqual([
      SUBPROTOCOL,
      `oxidite.token.${Buffer.from('tök/en+=').toString('base64url')}`,
    ]);
    // RFC 6455 subprotocols are HTTP tokens: base64url never needs escaping.
    expect(clientSubprotocols('a b\n"c"')[1]).toMatch(/^[A-Za-z0-9._-]+$/);
  });
});

describe('WebSocket injection', () => {
  it('tells Node 20 users to pass WebSocket from ws when there is no global one', () => {
    vi.stubGlobal('WebSocket', undefined);
    let error: unknown;
    try {
      createClient({ url: 'ws://127.0.0.1:1/ws', topics });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RealtimeError);
    expect(error).toMatchObject({ code: 'invalid' });
    expect((error as Error).message).toMatch(/from 'ws'/);
  });
});
