import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RealtimeConfig, type RealtimeLimits } from '../src/index';
import { resolveConnectionCaps } from '../src/security';
import { DEFAULT_RATE_LIMITS } from '../src/security/security-options';
import { type DocumentedOption, optionsTable, serverOptions } from './support/options-doc';

/**
 * The server README's options table (#16 item 4) is the JSDoc of the options interfaces, so it
 * cannot drift: this test fails when they differ (`UPDATE_DOCS=1` rewrites the table from the
 * source), and when a JSDoc `@default` disagrees with what the code really does.
 */
const README = path.resolve(import.meta.dirname, '../README.md');
const START =
  '<!-- options-table: the JSDoc of the options, checked by test/options-table.test.ts (UPDATE_DOCS=1 rewrites it) -->';
const END = '<!-- /options-table -->';
const options = serverOptions();
const byName = (name: string): DocumentedOption => {
  const option = options.find((o) => o.name === name);
  if (!option) throw new Error(`no documented option ${name}`);
  return option;
};

/** `65_536`, `8 MiB`, `67_108_864 (64 MiB)` → bytes or count. */
function numberOf(text: string): number {
  const match = /^([\d_]+)(?:\s*(KiB|MiB))?/.exec(text);
  if (!match) throw new Error(`not a number: ${text}`);
  return Number((match[1] ?? '').replaceAll('_', '')) * ({ KiB: 1024, MiB: 1024 * 1024 }[match[2] ?? ''] ?? 1);
}

describe('the server README options table', () => {
  it('is the options JSDoc, every option of createRealtimeServer, security.* and security.rateLimits.* included', () => {
    const readme = readFileSync(README, 'utf8');
    const start = readme.indexOf(START);
    const end = readme.indexOf(END);
    expect(start, `the README has no ${START}`).toBeGreaterThan(0);
    const table = optionsTable(options);
    if (process.env['UPDATE_DOCS'] === '1') {
      writeFileSync(README, `${readme.slice(0, start + START.length)}\n${table}\n${readme.slice(end)}`);
    }
    expect(readme.slice(start + START.length, end).trim()).toBe(table);
  });

  it('documents a default for every option but the topic map', () => {
    expect(options.filter((o) => o.defaultText === '' && o.name !== 'topics').map((o) => o.name)).toEqual([]);
  });

  it.each(Object.keys(RealtimeConfig.production()) as (keyof RealtimeLimits)[])(
    'states the preset values of %s that the presets hold',
    (key) => {
      const option = byName(key);
      expect(numberOf(option.defaultText)).toBe(RealtimeConfig.production()[key]);
      expect(numberOf(option.devText ?? option.defaultText)).toBe(RealtimeConfig.development()[key]);
    },
  );

  it.each(Object.keys(DEFAULT_RATE_LIMITS) as (keyof typeof DEFAULT_RATE_LIMITS)[])(
    'states the default of security.rateLimits.%s that the server applies, and that false turns it off',
    (key) => {
      const option = byName(`security.rateLimits.${key}`);
      const [, capacity, refill] = /capacity: ([\d_]+), refillPerSecond: ([\d_]+)/.exec(option.defaultText) ?? [];
      expect({ capacity: Number(capacity), refillPerSecond: Number(refill) }).toEqual(DEFAULT_RATE_LIMITS[key]);
      expect(readFileSync(README, 'utf8')).toMatch(/`false` turns (one|a rate limit) off/);
    },
  );

  it('states the connection caps the server applies', () => {
    const caps = resolveConnectionCaps({}, Number.POSITIVE_INFINITY, () => {});
    expect(numberOf(byName('security.maxConnectionsPerAddress').defaultText)).toBe(caps.maxPerAddress);
    expect(numberOf(byName('security.maxConnectionsPerUser').defaultText)).toBe(caps.maxPerUser);
  });
});
