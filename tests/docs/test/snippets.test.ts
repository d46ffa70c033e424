import path from 'node:path';
import { markdownSnippets, runSnippet, withDeadline } from '@oxidite/test-utils';
import { beforeAll, describe, expect, it } from 'vitest';
import { clientContexts } from './contexts/client';
import { protocolContexts } from './contexts/protocol';
import { reactContexts } from './contexts/react';
import { redisContexts } from './contexts/redis';
import { rootContexts } from './contexts/root';
import { serverContexts } from './contexts/server';
import { serverFrameworkContexts } from './contexts/server-frameworks';
import { serverWebContexts } from './contexts/server-web';
import { testingContexts } from './contexts/testing';
import type { SnippetContext } from './support/context';
import { REPO, USER_DOCS } from './support/docs';
import { typecheckSnippets } from './support/typecheck';

/**
 * Docs that run (#16): every ```ts block of these files is a program, unless the line above it says
 * `<!-- not a program: reason -->`. Each program is type-checked as a user's strict ESM module against
 * the built packages, then run against a real server on 127.0.0.1:0, so a snippet cannot rot: an API
 * change it does not follow fails here. The context a snippet's prose assumes is declared next to
 * its name in ./contexts; a new block without one fails the first test.
 */
const HERE = path.resolve(import.meta.dirname, '..');
const DOCS = USER_DOCS;
const contexts: Record<string, SnippetContext> = {
  ...rootContexts,
  ...protocolContexts,
  ...serverContexts,
  ...serverWebContexts,
  ...serverFrameworkContexts,
  ...clientContexts,
  ...redisContexts,
  ...testingContexts,
  ...reactContexts,
};
const snippets = DOCS.flatMap((file) => markdownSnippets(REPO, file));
const programs = snippets.filter((s) => s.notAProgram === undefined);
// Snippets listen on \`process.env.PORT ?? 3000\`, as a deployed app would: here on a free port.
process.env['PORT'] = '0';
/** Long enough for a loaded machine; a snippet that hangs fails instead of stalling the suite. */
const DEADLINE_MS = 20_000;

describe('the docs', () => {
  it('every program block has a context here, and every context names a program block', () => {
    expect(programs.map((s) => s.name).filter((name) => !(name in contexts))).toEqual([]);
    expect(Object.keys(contexts).filter((name) => !programs.some((s) => s.name === name))).toEqual([]);
  });

  it("the root README's chat is at most 10 lines a side, the file-name line included", () => {
    const lines = (file: string) =>
      snippets
        .find((s) => s.fileName === file)
        ?.code.trimEnd()
        .split('\n').length;
    expect([lines('server.mjs'), lines('client.mjs')]).toEqual([expect.any(Number), expect.any(Number)]);
    expect(Math.max(lines('server.mjs') ?? 99, lines('client.mjs') ?? 99)).toBeLessThanOrEqual(10);
  });

  it("the React README's chat component is at most 25 lines", () => {
    const chat = snippets.find((s) => s.name === 'packages/react/README.md § A chat in 25 lines #0');
    expect(chat?.code.trimEnd().split('\n').length).toBeLessThanOrEqual(25);
  });

  it('every block that is not a program says why', () => {
    for (const s of snippets) if (s.notAProgram !== undefined) expect(s.notAProgram.length, s.name).toBeGreaterThan(10);
  });
});

describe.each(programs.map((s) => [s.name, s] as const))('%s', (name, snippet) => {
  const context = contexts[name] ?? { env: 'node' };
  const prelude = context.prelude ?? '';
  const epilogue = context.epilogue ?? '';
  let errors: Map<string, string[]> | undefined;
  // One TypeScript program over every block: ~20 s alone, several times that on a loaded machine.
  beforeAll(() => {
    errors ??= typecheckAll();
  }, 300_000);

  it('type-checks as printed (strict, ESM, against the built packages)', () => {
    expect(errors?.get(name)).toEqual([]);
  });

  it('runs against a real server', async () => {
    const load = () => runSnippet<Record<string, unknown>>(snippet.code, prelude, epilogue, HERE, snippet.lang);
    await withDeadline<unknown>(context.run ? context.run(load) : load(), DEADLINE_MS, name);
  });
});

/** One program per environment for all snippets: a TypeScript program takes seconds to start. */
let checked: Map<string, string[]> | undefined;
function typecheckAll(): Map<string, string[]> {
  checked ??= typecheckSnippets(
    HERE,
    programs.map((s) => {
      const context = contexts[s.name] ?? { env: 'node' };
      return { ...s, env: context.env, prelude: context.prelude ?? '', epilogue: context.epilogue ?? '' };
    }),
  );
  return checked;
}
