import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/index';
import { problemsOf } from './support/config-problems';

describe('the environment overrides a config file without hiding its mistakes', () => {
  it('reports the file’s port, host and data dir even when PORT, HOST and OXIDITE_DATA_DIR replace them', () => {
    const env = { PORT: '9000', HOST: '0.0.0.0', OXIDITE_DATA_DIR: '/tmp/x' };
    expect(problemsOf(() => parseConfig({ port: 'eighty', host: 5, dataDir: '', topics: {} }, 'f', env))).toEqual([
      { path: 'port', expected: 'number', got: '"eighty"' },
      { path: 'host', expected: 'string', got: 'number 5' },
      { path: 'dataDir', expected: expect.any(String), got: '""' },
    ]);
  });

  it('reports a bad JWT secret in the file even when OXIDITE_JWT_SECRET replaces it', () => {
    const env = { OXIDITE_JWT_SECRET: 's'.repeat(32) };
    expect(problemsOf(() => parseConfig({ topics: {}, auth: { jwt: { secret: 'short' } } }, 'f', env))).toEqual([
      { path: 'auth.jwt.secret', expected: expect.stringContaining('32'), got: '"short"' },
    ]);
  });

  it('reports a bad environment value and the file’s mistakes together, each once', () => {
    expect(problemsOf(() => parseConfig({ port: 'eighty', topics: {} }, 'f', { PORT: 'x' }))).toEqual([
      { path: 'port', expected: 'number', got: '"eighty"' },
      { path: 'port', expected: 'number', got: '"x"' },
    ]);
    expect(problemsOf(() => parseConfig({ topics: 1 }, 'f', { PORT: '1' }))).toHaveLength(1);
  });

  it('still lets the environment fill what the file leaves out', () => {
    const secret = 's'.repeat(32);
    const config = parseConfig({ topics: {}, auth: { jwt: { issuer: 'me' } } }, 'f', {
      PORT: '9000',
      OXIDITE_JWT_SECRET: secret,
    });
    expect(config).toMatchObject({ port: 9000, auth: { jwt: { issuer: 'me', secret } } });
  });
});

describe('OXIDITE_ORIGINS (new-user run 4: no way to allow a browser page without a config file)', () => {
  it('allows the listed origins, or same-origin / *, over the file', () => {
    expect(
      parseConfig({ topics: { news: {} } }, '(test)', {
        OXIDITE_ORIGINS: ' http://localhost:5173, https://app.example.com ,',
      }).origins,
    ).toEqual(['http://localhost:5173', 'https://app.example.com']);
    expect(
      parseConfig({ topics: { news: {} }, origins: ['https://x.example'] }, '(test)', { OXIDITE_ORIGINS: '*' }).origins,
    ).toBe('*');
    expect(parseConfig({ topics: { news: {} } }, '(test)', {}).origins).toBe('same-origin');
  });
});
