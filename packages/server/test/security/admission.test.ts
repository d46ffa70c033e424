import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  type AdmissionOptions,
  createAdmission,
  createClientAddressResolver,
  createMemoryConnectionCounter,
  createMemoryRateLimiter,
  createOriginCheck,
} from '../../src/security';

function request(): IncomingMessage {
  return { headers: { host: 'example.com' }, url: '/ws', socket: { remoteAddress: '127.0.0.1' } } as IncomingMessage;
}

function options(overrides: Partial<AdmissionOptions> = {}): AdmissionOptions {
  return {
    auth: undefined,
    tokens: undefined,
    maxConnections: 10,
    connectionCount: () => 0,
    checkOrigin: createOriginCheck(),
    resolveAddress: createClientAddressResolver(false),
    rateLimiter: createMemoryRateLimiter(),
    connectionRule: { capacity: 2, refillPerSecond: 0.001 },
    counter: createMemoryConnectionCounter(),
    maxPerAddress: 5,
    maxPerUser: 5,
    ...overrides,
  };
}

describe('createAdmission', () => {
  it('decides synchronously when every store answers synchronously (no promise per connection)', () => {
    const admit = createAdmission(options());
    const verdict = admit(request());
    expect(verdict).not.toBeInstanceOf(Promise);
    expect(verdict).toEqual({ ok: true, principal: null, remoteAddress: '127.0.0.1', origin: undefined });
    admit(request());
    expect(admit(request())).toMatchObject({ ok: false, status: 429, reason: 'too many connection attempts' });
  });

  it('gives the same verdicts through stores that answer asynchronously (a shared store, e.g. Redis)', async () => {
    const limiter = createMemoryRateLimiter();
    const counter = createMemoryConnectionCounter();
    const admit = createAdmission(
      options({
        rateLimiter: { consume: async (key, rule, cost) => limiter.consume(key, rule, cost) },
        counter: { ...counter, byAddress: async (address) => counter.byAddress(address) },
      }),
    );
    const first = admit(request());
    expect(first).toBeInstanceOf(Promise);
    expect(await first).toEqual({ ok: true, principal: null, remoteAddress: '127.0.0.1', origin: undefined });
    await admit(request());
    expect(await admit(request())).toMatchObject({ ok: false, status: 429 });
  });

  it('refuses a full address with the per-address cap, synchronously', () => {
    const counter = createMemoryConnectionCounter();
    for (let i = 0; i < 5; i++) counter.add('127.0.0.1', undefined);
    const verdict = createAdmission(options({ counter, connectionRule: false }))(request());
    expect(verdict).toMatchObject({ ok: false, status: 429, reason: 'too many connections from this address' });
  });
});
