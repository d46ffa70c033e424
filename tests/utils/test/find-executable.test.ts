import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { chromiumPath, findExecutable, postgresBinDir, requireService } from '../src/index';

describe('findExecutable', () => {
  it('finds a program on the PATH', () => {
    const node = findExecutable('node');
    expect(node).toBeDefined();
    expect(path.isAbsolute(node!)).toBe(true);
  });

  it('returns undefined for a missing program', () => {
    expect(findExecutable('no-such-program-oxidite')).toBeUndefined();
  });

  it('looks in extra directories, and only at executable files', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'oxidite-bin-'));
    try {
      writeFileSync(path.join(dir, 'tool'), '#!/bin/sh\n');
      expect(findExecutable('tool', [dir])).toBeUndefined();
      chmodSync(path.join(dir, 'tool'), 0o755);
      expect(findExecutable('tool', [dir])).toBe(path.join(dir, 'tool'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('environment overrides', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('CHROMIUM_PATH wins, and a wrong one gives undefined', () => {
    vi.stubEnv('CHROMIUM_PATH', process.execPath);
    expect(chromiumPath()).toBe(process.execPath);
    vi.stubEnv('CHROMIUM_PATH', '/nonexistent/chromium');
    expect(chromiumPath()).toBeUndefined();
  });

  it('PG_BIN must contain initdb', () => {
    vi.stubEnv('PG_BIN', '/nonexistent');
    expect(postgresBinDir()).toBeUndefined();
  });
});

describe('requireService', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('returns true when available', () => {
    expect(requireService('thing', true)).toBe(true);
  });

  it('throws in CI when missing', () => {
    vi.stubEnv('CI', 'true');
    expect(() => requireService('thing', false)).toThrow('thing is required in CI but was not found');
  });

  it('skips loudly outside CI', () => {
    vi.stubEnv('CI', '');
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(requireService('thing', false)).toBe(false);
    expect(write).toHaveBeenCalledWith('SKIPPED: thing not found — install it or run .ci/run\n');
  });
});
