import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { startProgram } from '@oxidite/test-utils';
import { describe, expect, it } from 'vitest';
import { hubClient } from './support/test-hub';
import { readmeBlock, startCli, workDir } from './support/cli';

const run = promisify(execFile);

describe('npx @oxidite/hub', () => {
  it("runs the README's two commands: start without a config, publish with its curl line", async () => {
    const start = readmeBlock('sh', 'npx @oxidite/hub');
    const key = /OXIDITE_API_KEY=(\S+)/.exec(start)?.[1] ?? '';
    expect(key).not.toBe('');
    const { program, port } = await startCli(workDir(), { OXIDITE_API_KEY: key });
    try {
      const client = hubClient(`ws://127.0.0.1:${port}/ws`);
      const seen: unknown[] = [];
      await client.subscribe('chat:lobby', (m) => seen.push(m)).ready;
      const curl = readmeBlock('sh', 'curl').trim().replaceAll('127.0.0.1:8080', `127.0.0.1:${port}`);
      const { stdout } = await run('sh', ['-c', `${curl} --silent --show-error --fail-with-body`]);
      expect(JSON.parse(stdout)).toEqual({
        results: [{ topic: 'chat:lobby', offset: expect.any(String), duplicate: false }],
      });
      await client.subscribe('news', () => {}).ready; // one round trip later the message is in
      expect(seen).toEqual([{ text: 'hello' }]);
      client.close();
    } finally {
      program.kill('SIGTERM');
      await program.exited();
    }
  });

  it('stops gracefully on SIGTERM: clients get 1001, JSON logs say so, exit code 0', async () => {
    const { program, port } = await startCli(workDir());
    const client = hubClient(`ws://127.0.0.1:${port}/ws`);
    const codes: (number | undefined)[] = [];
    client.on('state', (change) => {
      if (change.from === 'open') codes.push(change.code);
    });
    await client.subscribe('news', () => {}).ready;
    program.kill('SIGTERM');
    expect(await program.exited()).toBe(0);
    expect(codes[0]).toBe(1001);
    expect(program.output()).toMatch(/"msg":"hub: stopping","signal":"SIGTERM"/);
    expect(program.output()).toMatch(/"msg":"hub: stopped"/);
    for (const line of program.output().trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
    client.close();
  });

  it('exits with 1 and says why when its port is taken', async () => {
    const first = await startCli(workDir());
    try {
      const second = startProgram(path.resolve(import.meta.dirname, '../dist/cli.js'), workDir(), {
        PORT: String(first.port),
      });
      expect(await second.exited()).toBe(1);
      expect(second.output()).toMatch(/"msg":"hub: failed to start".*EADDRINUSE/);
    } finally {
      first.program.kill('SIGTERM');
      await first.program.exited();
    }
  });

  it('exits with 2 and every problem on an invalid config', async () => {
    const cwd = workDir();
    writeFileSync(
      path.join(cwd, 'oxidite.config.json'),
      JSON.stringify({ port: 'x', topics: { news: { schema: {}, presense: true } } }),
    );
    const program = startProgram(path.resolve(import.meta.dirname, '../dist/cli.js'), cwd);
    expect(await program.exited()).toBe(2);
    expect(program.output()).toContain('port: expected number, got "x"');
    expect(program.output()).toContain('topics.news: expected no other keys, got presense');
  });

  it('--help prints the options and the environment, and exits 0', async () => {
    const { stdout } = await run(process.execPath, [path.resolve(import.meta.dirname, '../dist/cli.js'), '--help'], {
      cwd: workDir(),
    });
    expect(stdout).toMatch(/^usage: npx @oxidite\/hub/);
    for (const option of ['--config', '--print-config', '--hash-key', 'REDIS_URL']) expect(stdout).toContain(option);
  });

  it('--print-config shows the effective config with secrets masked; --hash-key prints a digest', async () => {
    const cwd = workDir();
    writeFileSync(path.join(cwd, 'oxidite.config.yaml'), 'topics:\n  news: {}\n');
    const secret = 'jwt-secret-'.repeat(4);
    const { stdout } = await run(
      process.execPath,
      [path.resolve(import.meta.dirname, '../dist/cli.js'), '--print-config'],
      {
        cwd,
        env: { ...process.env, OXIDITE_JWT_SECRET: secret, REDIS_URL: 'redis://:pa55@127.0.0.1:1', PORT: '9999' },
      },
    );
    const printed = JSON.parse(stdout);
    expect(printed).toMatchObject({
      port: 9999,
      topics: { news: { schema: {} } },
      auth: { jwt: { secret: '********' } },
    });
    expect(stdout).not.toContain(secret);
    expect(stdout).not.toContain('pa55');
    const hashed = await run(process.execPath, [
      path.resolve(import.meta.dirname, '../dist/cli.js'),
      '--hash-key',
      'abc',
    ]);
    expect(hashed.stdout.trim()).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('--print-config refuses what a start would refuse (a pattern RE2 cannot run), and LOG_LEVEL must be a level (new-user run 4)', async () => {
    const cli = path.resolve(import.meta.dirname, '../dist/cli.js');
    const cwd = workDir();
    writeFileSync(
      path.join(cwd, 'oxidite.config.json'),
      JSON.stringify({ topics: { t: { schema: { type: 'string', pattern: '^(a)\\1$' } } } }),
    );
    const printed = await run(process.execPath, [cli, '--print-config'], { cwd }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect((printed as { code?: number }).code).toBe(2);
    expect((printed as { stderr: string }).stderr).toContain('topics.t.schema: expected a valid JSON Schema');

    const bogus = await run(process.execPath, [cli, '--print-config'], {
      cwd: workDir(),
      env: { ...process.env, LOG_LEVEL: 'bogus' },
    }).catch((error: { code: number; stderr: string }) => error);
    expect((bogus as { code?: number }).code).toBe(2);
    expect((bogus as { stderr: string }).stderr).toContain('LOG_LEVEL: expected one of');
  });

  it('--hash-key and --config without their value say what they need and exit 2', async () => {
    const cli = path.resolve(import.meta.dirname, '../dist/cli.js');
    for (const args of [['--hash-key'], ['--hash-key', ''], ['--config'], ['-c', '']]) {
      const failed = await run(process.execPath, [cli, ...args], { cwd: workDir() }).catch(
        (error: { code: number; stdout: string; stderr: string }) => error,
      );
      const { code, stdout, stderr } = failed as { code?: number; stdout: string; stderr: string };
      expect([args, code]).toEqual([args, 2]);
      expect(stderr).toMatch(new RegExp(`${args[0]}: expected .+, got nothing`));
      expect(stdout).not.toMatch(/[0-9a-f]{64}/);
    }
  });
});
