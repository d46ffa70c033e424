import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CloseCode, type ReconnectAdvice, reconnectAdvice } from '@oxidite/protocol';
import { describe, expect, it } from 'vitest';

/** The close codes as the docs tell them agree with `CloseCode` and `reconnectAdvice`. */
const REPO = path.resolve(import.meta.dirname, '../../..');
const read = (file: string) => readFileSync(path.join(REPO, file), 'utf8');
const ALL = Object.values(CloseCode).sort((a, b) => a - b);
const codesIn = (text: string) => [...text.matchAll(/\b(1\d{3}|4\d{3})\b/g)].map(([code]) => Number(code));

describe('close codes in the docs', () => {
  it("the protocol README's list is every CloseCode", () => {
    const line = /`CloseCode` \(([^)]+)\)/.exec(read('packages/protocol/README.md'))?.[1] ?? '';
    expect(codesIn(line)).toEqual(ALL);
  });

  it('PROTOCOL.md §5.1 has a row for every CloseCode, with the advice reconnectAdvice gives', () => {
    const text = read('packages/protocol/PROTOCOL.md');
    const section = text.slice(text.indexOf('### 5.1 Close codes'), text.indexOf('### 5.2'));
    const rows = [...section.matchAll(/^\| (\d{4}) \|.*\| ([^|]+) \|$/gm)].map(([, code, advice]) => [
      Number(code),
      (advice ?? '').trim(),
    ]);
    expect(rows.map(([code]) => code).sort()).toEqual(ALL);
    const says = (advice: string): ReconnectAdvice =>
      advice.startsWith('stop') ? 'stop' : advice.includes('token') ? 'refresh-token' : 'reconnect';
    for (const [code, advice] of rows)
      expect([code, says(String(advice))]).toEqual([code, reconnectAdvice(Number(code))]);
  });

  it("the client README's reconnect table covers every CloseCode, each in the row of its advice", () => {
    const text = read('packages/client/README.md');
    const table = text.slice(text.indexOf('| close code |'), text.indexOf('| `client.close()`'));
    const rows = table.split('\n').filter((row) => /^\| \d/.test(row));
    const covered: number[] = [];
    for (const row of rows) {
      const [codes = '', does = ''] = row.split('|').slice(1, 3);
      const advice: ReconnectAdvice = does.includes('fresh token')
        ? 'refresh-token'
        : does.includes('reconnects')
          ? 'reconnect'
          : 'stop';
      for (const code of codesIn(codes)) {
        covered.push(code);
        expect([code, advice]).toEqual([code, reconnectAdvice(code)]);
      }
    }
    expect(covered.sort((a, b) => a - b)).toEqual(ALL);
  });
});
