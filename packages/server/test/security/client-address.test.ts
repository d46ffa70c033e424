import { isIP } from 'node:net';
import type { IncomingHttpHeaders } from 'node:http';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createClientAddressResolver,
  normalizeAddress,
  resolveClientAddress,
  type TrustProxy,
} from '../../src/security/client-address';

function request(remoteAddress: string | undefined, headers: IncomingHttpHeaders = {}) {
  return { socket: { remoteAddress }, headers };
}

const PROXY = '10.0.0.1';
const PRIVATE = ['10.0.0.0/8'];
const xff = (value: string): IncomingHttpHeaders => ({ 'x-forwarded-for': value });
const fwd = (value: string): IncomingHttpHeaders => ({ forwarded: value });

describe('normalizeAddress', () => {
  it.each([
    ['IPv4 unchanged', '1.2.3.4', '1.2.3.4'],
    ['IPv4-mapped IPv6 (dotted)', '::ffff:1.2.3.4', '1.2.3.4'],
    ['IPv4-mapped IPv6 (hex, uppercase)', '::FFFF:7f00:1', '127.0.0.1'],
    ['IPv6 compressed and lowercased', '2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['IPv6 loopback', '::1', '::1'],
    ['zone id dropped', 'fe80::1%eth0', 'fe80::1'],
    ['host name', 'localhost', undefined],
    ['empty', '', undefined],
    ['leading zero (octal trap)', '01.2.3.4', undefined],
    ['surrounding space', ' 1.2.3.4', undefined],
    ['port attached', '1.2.3.4:80', undefined],
    ['undefined', undefined, undefined],
  ])('%s', (_name, input, expected) => {
    expect(normalizeAddress(input)).toBe(expected);
  });
});

describe('resolveClientAddress', () => {
  const cases: [string, TrustProxy, string | undefined, IncomingHttpHeaders, string][] = [
    // trustProxy: false
    ['false: spoofed XFF ignored', false, PROXY, xff('6.6.6.6'), PROXY],
    ['false: mapped socket address normalised', false, '::ffff:10.0.0.1', {}, PROXY],
    ['false: IPv6 socket address', false, '2001:DB8::1', {}, '2001:db8::1'],
    ['no socket address', false, undefined, {}, 'unknown'],
    ['no socket address even when trusting', true, undefined, xff('1.2.3.4'), 'unknown'],
    // trustProxy: a hop count
    ['1: the entry the proxy appended', 1, PROXY, xff('spoofed, 1.2.3.4'), '1.2.3.4'],
    ['1: spoofed IP on the left ignored', 1, PROXY, xff('6.6.6.6, 1.2.3.4'), '1.2.3.4'],
    ['2: two proxies', 2, PROXY, xff('6.6.6.6, 1.2.3.4, 10.0.0.2'), '1.2.3.4'],
    ['3: chain shorter than the count', 3, PROXY, xff('1.2.3.4'), '1.2.3.4'],
    ['1: no XFF', 1, PROXY, {}, PROXY],
    ['0: same as false', 0, PROXY, xff('1.2.3.4'), PROXY],
    ['3: garbage stops the walk', 3, PROXY, xff('1.2.3.4, <script>, 10.0.0.2'), '10.0.0.2'],
    ['1: garbage is never returned', 1, PROXY, xff('not-an-ip'), PROXY],
    ['1: empty XFF', 1, PROXY, xff(''), PROXY],
    ['1: IPv4 with a port', 1, PROXY, xff('1.2.3.4:5678'), '1.2.3.4'],
    ['1: bracketed IPv6 with a port', 1, PROXY, xff('[2001:DB8::1]:443'), '2001:db8::1'],
    ['1: bare IPv6', 1, PROXY, xff('2001:db8::1'), '2001:db8::1'],
    ['1: mapped IPv4 in XFF', 1, PROXY, xff('::ffff:1.2.3.4'), '1.2.3.4'],
    ['1: bracketed garbage', 1, PROXY, xff('[evil]:80'), PROXY],
    // trustProxy: true
    ['true: leftmost entry', true, PROXY, xff('1.2.3.4, 5.6.7.8'), '1.2.3.4'],
    ['true: stops at garbage', true, PROXY, xff('evil, 5.6.7.8'), '5.6.7.8'],
    // trustProxy: a list
    ['list: walk through trusted proxies', PRIVATE, PROXY, xff('6.6.6.6, 1.2.3.4, 10.0.0.2'), '1.2.3.4'],
    ['list: untrusted socket ignores XFF', PRIVATE, '8.8.8.8', xff('1.2.3.4'), '8.8.8.8'],
    ['list: all trusted, chain exhausted', PRIVATE, PROXY, xff('10.9.9.9'), '10.9.9.9'],
    ['list: single address entry', ['10.0.0.1'], PROXY, xff('1.2.3.4'), '1.2.3.4'],
    ['list: single address, other proxy untrusted', ['10.0.0.1'], '10.0.0.2', xff('1.2.3.4'), '10.0.0.2'],
    ['list: loopback preset with an IPv6 socket', ['loopback'], '::1', xff('1.2.3.4'), '1.2.3.4'],
    ['list: uniquelocal preset', ['uniquelocal'], '192.168.1.5', xff('1.2.3.4'), '1.2.3.4'],
    ['list: IPv6 CIDR', ['fd00::/8'], 'fd00::1', xff('2001:db8::7'), '2001:db8::7'],
    ['list: mapped socket matches an IPv4 CIDR', PRIVATE, '::ffff:10.0.0.1', xff('1.2.3.4'), '1.2.3.4'],
    ['list: mapped CIDR entry', ['::ffff:10.0.0.0/104'], PROXY, xff('1.2.3.4'), '1.2.3.4'],
    ['list: stops at garbage', PRIVATE, PROXY, xff('1.2.3.4, junk, 10.0.0.2'), '10.0.0.2'],
    [
      'list: XFF as an array',
      PRIVATE,
      PROXY,
      { 'x-forwarded-for': ['1.2.3.4', '10.0.0.2'] as unknown as string },
      '1.2.3.4',
    ],
    [
      'x-forwarded-for configured: Forwarded is never read',
      1,
      PROXY,
      { 'x-forwarded-for': '1.2.3.4', forwarded: 'for=5.6.7.8' },
      '1.2.3.4',
    ],
  ];

  it.each(cases)('%s', (_name, trustProxy, remoteAddress, headers, expected) => {
    expect(resolveClientAddress(request(remoteAddress, headers), trustProxy)).toBe(expected);
    expect(createClientAddressResolver(trustProxy)(request(remoteAddress, headers))).toBe(expected);
  });

  // RFC 7239 Forwarded, when the configuration names it (`proxyHeader: 'forwarded'`).
  const forwardedCases: [string, TrustProxy, string | undefined, IncomingHttpHeaders, string][] = [
    ['Forwarded: for with other params', 1, PROXY, fwd('for=192.0.2.60;proto=http;by=203.0.113.43'), '192.0.2.60'],
    ['Forwarded: quoted IPv6 with a port', 1, PROXY, fwd('for="[2001:db8:cafe::17]:4711"'), '2001:db8:cafe::17'],
    ['Forwarded: several elements', 1, PROXY, fwd('for=1.1.1.1, for=2.2.2.2'), '2.2.2.2'],
    ['Forwarded: case-insensitive name', 1, PROXY, fwd('For=1.2.3.4'), '1.2.3.4'],
    ['Forwarded: unknown is not an address', 1, PROXY, fwd('for=unknown'), PROXY],
    ['Forwarded: obfuscated id ends the walk', true, PROXY, fwd('for=1.1.1.1, for=_hidden, for=2.2.2.2'), '2.2.2.2'],
    ['Forwarded: element without for', 1, PROXY, fwd('proto=https'), PROXY],
    ['Forwarded: comma inside quotes', 1, PROXY, fwd('for="1.2.3.4, 5.6.7.8"'), PROXY],
    ['Forwarded: quoted IPv4 with a port', 1, PROXY, fwd('for="1.2.3.4:80"'), '1.2.3.4'],
    // The proxy writes only Forwarded; an attacker's own X-Forwarded-For passes through it untouched.
    [
      'forwarded configured: X-Forwarded-For is never read',
      1,
      PROXY,
      { 'x-forwarded-for': '6.6.6.6', forwarded: 'for=1.2.3.4' },
      '1.2.3.4',
    ],
    ['forwarded configured: a lone X-Forwarded-For is ignored', 1, PROXY, xff('6.6.6.6'), PROXY],
  ];

  it.each(forwardedCases)('%s', (_name, trustProxy, remoteAddress, headers, expected) => {
    expect(resolveClientAddress(request(remoteAddress, headers), trustProxy, 'forwarded')).toBe(expected);
    expect(createClientAddressResolver(trustProxy, 'forwarded')(request(remoteAddress, headers))).toBe(expected);
  });

  it('an X-Forwarded-For-only configuration never reads Forwarded (the proxy writes XFF, the attacker Forwarded)', () => {
    expect(resolveClientAddress(request(PROXY, fwd('for=6.6.6.6')), 1)).toBe(PROXY);
  });

  it('defaults to trusting no proxy', () => {
    expect(resolveClientAddress(request(PROXY, { 'x-forwarded-for': '1.2.3.4' }))).toBe(PROXY);
  });

  it('never throws on an invalid setting: it trusts nothing', () => {
    const spoof = request(PROXY, { 'x-forwarded-for': '1.2.3.4' });
    expect(resolveClientAddress(spoof, ['10.0.0.0/99'])).toBe(PROXY);
    expect(resolveClientAddress(spoof, -1)).toBe(PROXY);
  });

  it('returns an IP address or "unknown", whatever the headers', () => {
    const settings: TrustProxy[] = [false, true, 1, 3, ['10.0.0.0/8', 'loopback']];
    fc.assert(
      fc.property(
        fc.constantFrom(PROXY, '::1', '::ffff:10.0.0.9', '8.8.8.8', undefined),
        fc.option(
          fc.oneof(
            fc.string(),
            fc.array(fc.oneof(fc.ipV4(), fc.ipV6(), fc.string())).map((a) => a.join(', ')),
          ),
        ),
        fc.option(fc.string()),
        (remoteAddress, xff, forwarded) => {
          const headers: IncomingHttpHeaders = {};
          if (xff !== null) headers['x-forwarded-for'] = xff;
          if (forwarded !== null) headers.forwarded = forwarded;
          for (const trustProxy of settings) {
            const address = resolveClientAddress(request(remoteAddress, headers), trustProxy);
            expect(address === 'unknown' || isIP(address) !== 0).toBe(true);
          }
        },
      ),
      { numRuns: 2_000 },
    );
  });
});

describe('createClientAddressResolver', () => {
  it.each([
    ['prefix too long (IPv4)', ['10.0.0.0/33']],
    ['prefix too long (IPv6)', ['::/129']],
    ['prefix not a number', ['10.0.0.0/8x']],
    ['empty prefix', ['10.0.0.0/']],
    ['host name', ['proxy.internal']],
    ['negative count', -1],
    ['fractional count', 1.5],
    ['not a list', 'loopback' as unknown as TrustProxy],
  ])('throws a TypeError for %s', (_name, trustProxy) => {
    expect(() => createClientAddressResolver(trustProxy as TrustProxy)).toThrow(TypeError);
  });
});
