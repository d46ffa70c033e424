import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashApiKey, hubEnvOf, loadConfig, maskedConfig, parseConfig, startHub } from '../src/index';
import { readmeBlock } from './support/cli';
import { problemsOf } from './support/config-problems';

function file(name: string, text: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'oxidite-hub-config-'));
  const where = path.join(dir, name);
  writeFileSync(where, text);
  return where;
}

describe('the config', () => {
  it('reports every mistake with its path, what was expected and what was found', () => {
    const problems = problemsOf(() =>
      parseConfig(
        {
          port: 'eighty',
          topics: { 'chat:{room}': { history: { size: -1 }, presense: true } },
          apiKeys: [{ name: 'ci', sha256: 'not-hex', scopes: ['publish', 'root'] }],
          origins: 5,
        },
        'test.json',
      ),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: 'port', expected: 'number', got: '"eighty"' },
        { path: 'topics.chat:{room}', expected: 'no other keys', got: 'presense' },
        { path: 'topics.chat:{room}.history.size', expected: expect.stringContaining('>=0'), got: 'number -1' },
        { path: 'apiKeys.0.sha256', expected: expect.stringContaining('SHA-256'), got: '"not-hex"' },
        { path: 'apiKeys.0.scopes.1', expected: expect.stringContaining('publish'), got: '"root"' },
        { path: 'origins', expected: expect.any(String), got: 'number 5' },
      ]),
    );
  });

  it('requires topics and an object at the root', () => {
    expect(problemsOf(() => parseConfig({}, 'x'))).toEqual([{ path: 'topics', expected: 'record', got: 'nothing' }]);
    expect(problemsOf(() => parseConfig([], 'x'))).toEqual([
      { path: '(root)', expected: 'an object', got: 'an array of 0' },
    ]);
  });

  it('refuses a bad topic pattern and a JSON Schema that does not compile, at start', async () => {
    const config = parseConfig({ port: 0, topics: { 'chat:{}': {}, ok: { schema: { type: 'strnig' } } } }, 'x');
    await expect(startHub({ config, env: hubEnvOf({}) })).rejects.toMatchObject({
      name: 'ConfigError',
      problems: [
        { path: 'topics.chat:{}', expected: expect.stringContaining('pattern'), got: '"chat:{}"' },
        { path: 'topics.ok.schema', expected: 'a valid JSON Schema', got: expect.stringContaining('type') },
      ],
    });
  });

  it('refuses a trustProxy entry that is not an address, a CIDR or a preset, at start', async () => {
    const config = parseConfig({ port: 0, topics: {}, trustProxy: ['10.0.0.x'] }, 'x');
    await expect(startHub({ config, env: hubEnvOf({}) })).rejects.toMatchObject({
      name: 'ConfigError',
      problems: [
        { path: 'trustProxy', expected: expect.stringContaining('CIDR'), got: expect.stringContaining('10.0.0.x') },
      ],
    });
  });

  it('reads YAML, reports a JSON syntax error and an unreadable file', () => {
    const yaml = file('oxidite.config.yaml', 'port: 0\ntopics:\n  news: {}\n');
    expect(loadConfig(yaml).config).toMatchObject({ port: 0, topics: { news: { schema: {} } } });
    expect(problemsOf(() => loadConfig(file('oxidite.config.json', '{"topics": ')))).toEqual([
      { path: '(file)', expected: 'valid JSON', got: expect.any(String) },
    ]);
    expect(problemsOf(() => loadConfig('/nonexistent/oxidite.config.json'))).toEqual([
      { path: '(file)', expected: 'a readable file', got: 'ENOENT' },
    ]);
  });

  it('takes PORT, HOST and the JWT secret from the environment', () => {
    const secret = 's'.repeat(32);
    const config = parseConfig({ topics: {} }, 'x', { PORT: '9000', HOST: '0.0.0.0', OXIDITE_JWT_SECRET: secret });
    expect(config).toMatchObject({ port: 9000, host: '0.0.0.0', auth: { jwt: { secret } } });
    expect(problemsOf(() => parseConfig({ topics: {} }, 'x', { OXIDITE_JWT_SECRET: 'short' }))).toEqual([
      { path: 'auth.jwt.secret', expected: expect.stringContaining('32'), got: '"short"' },
    ]);
  });

  it('masks secrets when printed', () => {
    const secret = 'hunter2-'.repeat(5);
    const config = parseConfig({ topics: {} }, 'x', { OXIDITE_JWT_SECRET: secret });
    const env = hubEnvOf({ REDIS_URL: 'redis://:pa55@127.0.0.1:6379', OXIDITE_API_KEY: 'plain-key' });
    const printed = JSON.stringify(maskedConfig(config, env));
    for (const leaked of [secret, 'pa55', 'plain-key']) expect(printed).not.toContain(leaked);
    expect(printed).toContain('redis://:********@127.0.0.1:6379');
  });

  it('prints every API key the same way, and says what an unset REDIS_URL / DATABASE_URL means', () => {
    const config = parseConfig(
      { topics: {}, apiKeys: [{ name: 'ci', sha256: hashApiKey('file-key'), scopes: ['publish'] }] },
      'x',
      {},
    );
    const printed = maskedConfig(config, hubEnvOf({ OXIDITE_API_KEY: 'env-key' }));
    expect(printed['apiKeys']).toEqual([
      { name: 'ci', sha256: `${hashApiKey('file-key').slice(0, 8)}…`, scopes: ['publish'] },
      { name: 'OXIDITE_API_KEY', sha256: `${hashApiKey('env-key').slice(0, 8)}…`, scopes: ['admin'] },
    ]);
    expect(printed['environment']).toEqual({
      REDIS_URL: 'unset: memory broker, one process',
      DATABASE_URL: 'unset: SQLite notifications in dataDir',
    });
  });
});

describe("the README's config", () => {
  it('the example config is valid once its key digest is filled in, and starts a hub', async () => {
    const example = readmeBlock('json', '"topics"').replace(/<npx @oxidite\/hub --hash-key [^>]+>/, 'a'.repeat(64));
    const config = parseConfig(
      { ...JSON.parse(example), port: 0, host: '127.0.0.1', dataDir: mkdtempSync(path.join(tmpdir(), 'hub-')) },
      'README',
      { OXIDITE_JWT_SECRET: 's'.repeat(32) }, // the example leaves the HMAC secret to the environment
    );
    const hub = await startHub({ config, env: hubEnvOf({}), source: 'README' });
    await hub.close();
  });

  it('the error example is what the hub prints for those mistakes', () => {
    const printed = readmeBlock('text', 'invalid config');
    const mistakes = {
      port: 'eighty',
      topics: { 'chat:{room}': { presense: true } },
      apiKeys: [{ name: 'x', sha256: 'not-hex', scopes: ['publish'] }],
    };
    let message = '';
    try {
      parseConfig(mistakes, 'oxidite.config.json');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.trim()).toBe(printed.trim());
  });
});
