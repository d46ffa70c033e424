import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Program, startProgram } from '@oxidite/test-utils';

/** The built CLI (turbo builds the package before its tests). */
export const CLI = path.resolve(import.meta.dirname, '../../dist/cli.js');
const README = path.resolve(import.meta.dirname, '../../README.md');

/** A fresh working directory for a hub process. */
export function workDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'oxidite-hub-cli-'));
}

/** Starts `oxidite-hub` in `cwd` on a free port; resolves once it logged its port. */
export async function startCli(
  cwd: string,
  env: Record<string, string> = {},
): Promise<{ program: Program; port: number }> {
  const program = startProgram(CLI, cwd, { PORT: '0', ...env });
  const [, port] = await program.line(/"msg":"hub: listening".*"port":(\d+)/, 20_000);
  return { program, port: Number(port) };
}

/** The first fenced block of the README in `language` whose text contains `marker`. */
export function readmeBlock(language: string, marker: string): string {
  const blocks = readFileSync(README, 'utf8')
    .split(new RegExp(`^\`\`\`${language}\\n`, 'm'))
    .slice(1);
  const block = blocks.map((b) => b.slice(0, b.indexOf('\n```'))).find((b) => b.includes(marker));
  if (block === undefined) throw new Error(`no ${language} block with ${marker} in the README`);
  return block;
}
