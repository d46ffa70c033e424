import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig, startHub } from '../src/index';
import { createJsonSchemaCompiler } from '../src/topics/json-schema';
import { startTestHub } from './support/test-hub';

describe('regular expressions of topic schemas run in linear time', () => {
  it('one publish of a catastrophic input to ^(a+)+$ is answered at once', async () => {
    await using t = await startTestHub({
      topics: { slow: { schema: { type: 'string', pattern: '^(a+)+$' } } },
    });
    // With a backtracking engine this input takes 2^40 steps: the hub would never answer.
    const answer = await t.api('/api/publish', { key: 'publish', body: { topic: 'slow', data: `${'a'.repeat(40)}!` } });
    expect(answer).toMatchObject({ status: 400, body: { error: { code: 'invalid' } } });
    const ok = await t.api('/api/publish', { key: 'publish', body: { topic: 'slow', data: 'aaa' } });
    expect(ok.status).toBe(200);
  });

  it('patternProperties and propertyNames go through the same engine', () => {
    const compile = createJsonSchemaCompiler();
    expect(() => compile({ type: 'object', propertyNames: { pattern: '^(?!x)' } })).toThrow(/\(\?!/);
    expect(() => compile({ type: 'object', patternProperties: { '(a)\\1': {} } })).toThrow(/\\1/);
    const names = compile({ type: 'object', propertyNames: { pattern: '^(a|aa)+$' } });
    expect(names['~standard'].validate({ [`${'a'.repeat(60)}!`]: 1 })).toHaveProperty('issues');
  });

  it('a pattern the linear engine cannot run (backreference, lookaround) is refused at start', async () => {
    const config = parseConfig(
      {
        port: 0,
        dataDir: mkdtempSync(path.join(tmpdir(), 'oxidite-hub-regex-')),
        topics: {
          a: { schema: { type: 'string', pattern: '^(a)\\1$' } },
          b: { schema: { type: 'object', patternProperties: { '^(?=x)': {} } } },
        },
      },
      '(test)',
    );
    const error = await startHub({ config, env: { redisUrl: undefined, databaseUrl: undefined, apiKey: undefined } })
      .then((hub) => hub.close())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      { path: 'topics.a.schema', expected: 'a valid JSON Schema', got: expect.stringContaining('\\1') },
      { path: 'topics.b.schema', expected: 'a valid JSON Schema', got: expect.stringContaining('(?=') },
    ]);
  });
});
