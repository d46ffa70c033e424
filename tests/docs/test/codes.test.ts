import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CloseCode, ErrorCode, type ReconnectAdvice, reconnectAdvice } from '@oxidite/protocol';
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

/**
 * The (code, status) pairs the HTTP handlers answer, read from their source: the status tables of
 * the server's and the hub's `sendError`, and the answers the hub writes by hand.
 */
function httpCodesInSource(): string[] {
  const pairs = new Set<string>(['internal 500']); // both answer unknown failures with it
  for (const file of ['packages/server/src/http/json-answers.ts', 'packages/hub/src/api/http-error.ts']) {
    const source = read(file);
    const block = /HttpErrorCode = \{([^}]*)\}/.exec(source)?.[1] ?? '';
    const httpCodes = Object.fromEntries([...block.matchAll(/(\w+): '(\w+)'/g)].map(([, key, code]) => [key, code]));
    const errorCodes: Readonly<Record<string, string>> = ErrorCode;
    for (const [, table, key = '', status] of source.matchAll(/\[(ErrorCode|HttpErrorCode)\.(\w+)\]: (\d{3})/g)) {
      const code = table === 'ErrorCode' ? errorCodes[key] : httpCodes[key];
      expect(code, `${table}.${key} in ${file}`).toBeDefined();
      pairs.add(`${code} ${status}`);
    }
  }
  for (const [, status, code] of read('packages/hub/src/hub.ts').matchAll(
    /sendJson\(res, (\d{3}), \{ error: \{ code: '(\w+)'/g,
  ))
    pairs.add(`${code} ${status}`);
  return [...pairs].sort();
}

describe('HTTP error codes in the docs', () => {
  it('PROTOCOL.md §5.3 lists exactly the codes and statuses the server and the hub answer with', () => {
    const text = read('packages/protocol/PROTOCOL.md');
    const section = text.slice(text.indexOf('### 5.3 HTTP error bodies'), text.indexOf('## 6.'));
    const rows = [...section.matchAll(/^\| `(\w+)` \| (\d{3}) \|/gm)].map(([, code, status]) => `${code} ${status}`);
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.sort()).toEqual(httpCodesInSource());
  });

  it('every code of PROTOCOL.md §5.3 is an ErrorCode or one of the HTTP-only codes', () => {
    const text = read('packages/protocol/PROTOCOL.md');
    const section = text.slice(text.indexOf('### 5.3 HTTP error bodies'), text.indexOf('## 6.'));
    const known = new Set<string>(Object.values(ErrorCode));
    for (const [, code = '', httpOnly] of section.matchAll(/^\| `(\w+)` \| \d{3} \| (\*HTTP\*)?/gm))
      expect([code, known.has(code)]).toEqual([code, httpOnly === undefined]);
  });
});
