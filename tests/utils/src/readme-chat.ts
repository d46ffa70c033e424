import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Program, startProgram } from './program';
import type { Snippet } from './readme-snippet';

/** Writes every snippet that names its file (`// server.mjs — …`) into `dir`, exactly as printed. */
export function writeSnippetFiles(dir: string, snippets: readonly Snippet[]): string[] {
  const named = snippets.filter((s) => s.fileName !== undefined);
  for (const s of named) writeFileSync(path.join(dir, s.fileName as string), s.code);
  return named.map((s) => s.fileName as string);
}

/**
 * The root README's chat, as a reader runs it in `dir` (where its `chat.mjs`, `server.mjs` and
 * `client.mjs` were written): the server on a free port, two clients typing. Checks what the
 * README promises: messages reach the other client, a late joiner gets the history, presence
 * counts who is there, a client exits when its input ends, and SIGTERM stops the server cleanly.
 */
export async function runReadmeChat(dir: string): Promise<void> {
  const programs: Program[] = [];
  const start = (file: string, env: Record<string, string>) => {
    const program = startProgram(file, dir, env);
    programs.push(program);
    return program;
  };
  try {
    const server = start('server.mjs', { PORT: '0' });
    const port = (await server.line(/^chat on ws:\/\/127\.0\.0\.1:(\d+)\/ws$/))[1] as string;
    const alice = start('client.mjs', { PORT: port });
    await alice.line(/^\(1 here\)$/);
    alice.write('hello from alice\n');
    await alice.line(/^hello from alice$/);
    const bob = start('client.mjs', { PORT: port });
    await bob.line(/^hello from alice$/); // history: said before bob came
    await alice.line(/^\(2 here\)$/);
    bob.write('hi alice\n');
    await alice.line(/^hi alice$/);
    alice.end();
    bob.end();
    if ((await alice.exited()) !== 0 || (await bob.exited()) !== 0)
      throw new Error(`a client failed:\n${alice.output()}\n${bob.output()}`);
    server.kill('SIGTERM');
    const code = await server.exited();
    if (code !== 0) throw new Error(`server.mjs exited with ${code} on SIGTERM:\n${server.output()}`);
  } finally {
    for (const program of programs) program.kill('SIGKILL');
  }
}
