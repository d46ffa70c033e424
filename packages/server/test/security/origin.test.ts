import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createOriginCheck } from '../../src/security/origin';

const ALLOWLIST = [
  'http://localhost:3000',
  'https://app.example.com',
  'https://*.example.org',
  'http://bücher.example:8080',
  'http://*.localhost:5173',
];

describe('origin allowlist', () => {
  const check = createOriginCheck({ origins: ALLOWLIST });

  it.each([
    ['exact match', 'http://localhost:3000'],
    ['uppercase host is the same origin', 'http://LOCALHOST:3000'],
    ['uppercase scheme is the same origin', 'HTTP://localhost:3000'],
    ['https entry', 'https://app.example.com'],
    ['explicit default port', 'https://app.example.com:443'],
    ['wildcard: one label', 'https://a.example.org'],
    ['wildcard: several labels', 'https://a.b.example.org'],
    ['IDN entry matched by its punycode', 'http://xn--bcher-kva.example:8080'],
    ['IDN entry matched by its Unicode form', 'http://BÜCHER.example:8080'],
    ['wildcard over localhost', 'http://app.localhost:5173'],
  ])('allows %s', (_name, origin) => {
    expect(check(origin, 'ignored')).toEqual({ ok: true });
  });

  it.each([
    ['null (sandboxed iframe, file://)', 'null'],
    ['allowed origin as a prefix of another host', 'http://localhost:3000.evil.com'],
    ['longer port', 'http://localhost:30000'],
    ['shorter port', 'http://localhost:300'],
    ['missing port', 'http://localhost'],
    ['scheme mismatch', 'https://localhost:3000'],
    ['userinfo trick', 'http://localhost:3000@evil.com'],
    ['userinfo before the allowed host', 'http://evil.com@localhost:3000'],
    ['trailing-dot host', 'http://localhost.:3000'],
    ['port with a leading zero', 'http://localhost:03000'],
    ['empty port', 'http://localhost:'],
    ['trailing slash', 'http://localhost:3000/'],
    ['path', 'http://localhost:3000/app'],
    ['query', 'http://localhost:3000?x=1'],
    ['fragment', 'http://localhost:3000#x'],
    ['backslash', 'http://localhost:3000\\'],
    ['leading space', ' http://localhost:3000'],
    ['no scheme', 'localhost:3000'],
    ['empty string', ''],
    ['wildcard base itself', 'https://example.org'],
    ['wildcard base as a substring', 'https://evilexample.org'],
    ['wildcard base in the middle', 'https://a.example.org.evil.com'],
    ['wildcard with another scheme', 'http://a.example.org'],
    ['wildcard with another port', 'https://a.example.org:8443'],
    ['literal star host', 'https://*.example.org'],
    ['empty label', 'https://a..example.org'],
    ['trailing dot under a wildcard', 'https://a.example.org.'],
    ['trailing dot on an exact entry', 'https://app.example.com.'],
    ['IPv6 loopback not listed', 'http://[::1]:3000'],
    ['percent-encoded host in a wildcard', 'https://%2a.example.org'],
    ['port out of range', 'http://localhost:99999'],
  ])('refuses %s', (_name, origin) => {
    expect(check(origin, 'localhost:3000').ok).toBe(false);
  });

  it('names the refused origin in the reason', () => {
    expect(check('https://evil.com', undefined)).toEqual({ ok: false, reason: 'origin not allowed: https://evil.com' });
    expect(check('null', undefined)).toEqual({ ok: false, reason: 'origin not allowed: null' });
    expect(check('http://a/b', undefined)).toEqual({ ok: false, reason: 'malformed origin: http://a/b' });
  });

  it('truncates long origins and masks control characters in reasons', () => {
    const verdict = check(`https://${'a'.repeat(500)}.com\r\nX-Injected: 1`, undefined);
    expect(verdict.ok).toBe(false);
    const reason = verdict.ok ? '' : verdict.reason;
    expect(reason.length).toBeLessThanOrEqual(130);
    expect(reason).not.toMatch(/[\r\n]/);
  });

  it('admits a missing Origin by default (non-browser clients)', () => {
    expect(check(undefined, 'localhost:3000')).toEqual({ ok: true });
  });

  it('refuses a missing Origin when allowMissingOrigin is false', () => {
    const strict = createOriginCheck({ origins: ALLOWLIST, allowMissingOrigin: false });
    expect(strict(undefined, 'localhost:3000')).toEqual({ ok: false, reason: 'missing origin' });
  });
});

describe('same-origin (the default)', () => {
  const check = createOriginCheck();

  it.each([
    ['same host and port', 'http://localhost:3000', 'localhost:3000'],
    ['scheme not compared (TLS ends at a proxy)', 'https://localhost:3000', 'localhost:3000'],
    ['default https port on both sides', 'https://example.com', 'example.com'],
    ['default port explicit in Host', 'https://example.com', 'example.com:443'],
    ['default http port explicit in Host', 'http://example.com', 'example.com:80'],
    ['case-insensitive host', 'http://LOCALHOST:3000', 'LocalHost:3000'],
    ['IPv6 literal', 'http://[::1]:3000', '[::1]:3000'],
  ])('allows %s', (_name, origin, host) => {
    expect(check(origin, host)).toEqual({ ok: true });
  });

  it.each([
    ['another host', 'http://evil.com', 'localhost:3000'],
    ['another port', 'http://localhost:3001', 'localhost:3000'],
    ['non-default Origin port, Host without port', 'http://example.com:8080', 'example.com'],
    ['https default port against another Host port', 'https://example.com', 'example.com:8443'],
    ['trailing dot', 'http://localhost.:3000', 'localhost:3000'],
    ['null', 'null', 'localhost:3000'],
    ['malformed origin', 'http://localhost:3000/x', 'localhost:3000'],
    ['userinfo in Host', 'http://localhost:3000', 'evil.com@localhost:3000'],
    ['garbage Host', 'http://localhost:3000', 'localhost:3000/x'],
    ['missing Host', 'http://localhost:3000', undefined],
  ])('refuses %s', (_name, origin, host) => {
    expect(check(origin, host).ok).toBe(false);
  });

  it('admits a missing Origin by default', () => {
    expect(check(undefined, 'localhost:3000')).toEqual({ ok: true });
  });
});

describe("'*'", () => {
  it('allows everything, even null, garbage and a missing Origin', () => {
    const check = createOriginCheck({ origins: '*', allowMissingOrigin: false });
    for (const origin of ['https://evil.com', 'null', 'garbage', undefined]) {
      expect(check(origin, undefined)).toEqual({ ok: true });
    }
  });
});

describe('invalid allowlist entries', () => {
  it.each([
    ['a trailing slash', 'https://example.com/'],
    ['a path', 'https://example.com/app'],
    ['a query', 'https://example.com?x'],
    ['no scheme', 'example.com'],
    ['a bare star', '*'],
    ['a star in the middle', 'https://a.*.example.com'],
    ['a star inside a label', 'https://ex*ample.com'],
    ['a double star', 'https://**.example.com'],
    ['a star alone as host', 'https://*'],
    ['a wildcard over a TLD', 'https://*.com'],
    ['a wildcard over an IP', 'https://*.1.2.3.4'],
    ['a star port', 'https://example.com:*'],
    ['null', 'null'],
    ['userinfo', 'https://user@example.com'],
    ['a port out of range', 'https://example.com:99999'],
    ['a port with a leading zero', 'https://example.com:0443'],
    ['an empty string', ''],
  ])('throws a TypeError for %s', (_name, entry) => {
    expect(() => createOriginCheck({ origins: [entry] })).toThrow(TypeError);
  });

  it('throws a TypeError for an unknown policy', () => {
    expect(() => createOriginCheck({ origins: 'self' as unknown as 'same-origin' })).toThrow(TypeError);
  });
});

describe('origin properties', () => {
  const allowedOrigin = fc
    .record({
      scheme: fc.constantFrom('http', 'https'),
      host: fc.domain(),
      port: fc.option(fc.integer({ min: 1, max: 65_535 }), { nil: undefined }),
    })
    .map(({ scheme, host, port }) => `${scheme}://${host}${port === undefined ? '' : `:${port}`}`);
  const extension = fc.oneof(
    fc.constantFrom('.', '0', '1', '.evil.com', ':', ':80', ':443', '/', '/x', '@evil.com', '%00', ' ', '?', '#'),
    fc.string({ minLength: 1, maxLength: 6 }),
  );

  /** The WHATWG origin of a string, or undefined when it is not a bare origin. */
  function whatwgOrigin(value: string): string | undefined {
    try {
      const url = new URL(value);
      return url.origin;
    } catch {
      return undefined;
    }
  }

  it('refuses every prefix or extension of an allowed origin that normalises to another origin', () => {
    fc.assert(
      fc.property(
        fc.array(allowedOrigin, { minLength: 1, maxLength: 5 }),
        fc.nat(),
        fc.nat(),
        extension,
        (allowlist, pick, cut, tail) => {
          const check = createOriginCheck({ origins: allowlist });
          const allowed = allowlist[pick % allowlist.length] as string;
          const allowedKeys = new Set(allowlist.map(whatwgOrigin));
          for (const candidate of [allowed.slice(0, cut % allowed.length), allowed + tail]) {
            if (check(candidate, undefined).ok) {
              // Allowed only if it is the same origin as an entry: an exact match after normalisation,
              // with nothing (path, userinfo, query) that a browser would never put in an Origin.
              expect(allowedKeys.has(whatwgOrigin(candidate))).toBe(true);
              expect(candidate).not.toMatch(/[/?#@\s]$|[?#@]|:\/\/.*\//);
            }
          }
          expect(check(allowed, undefined)).toEqual({ ok: true });
          expect(check(allowed.toUpperCase(), undefined)).toEqual({ ok: true });
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('never throws, whatever the Origin and Host', () => {
    const checks = [createOriginCheck(), createOriginCheck({ origins: ALLOWLIST })];
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.webUrl()), fc.option(fc.string(), { nil: undefined }), (origin, host) => {
        for (const check of checks) expect(typeof check(origin, host).ok).toBe('boolean');
      }),
      { numRuns: 2_000 },
    );
  });
});
