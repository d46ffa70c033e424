import type { SnippetEnv } from './typecheck';

/** What a snippet module exports (its epilogue decides), for the check to use. */
export type SnippetExports = Record<string, unknown>;

/**
 * How one printed snippet becomes a program: the context its prose assumes, and what proves it ran.
 * Every ```ts block of the docs has one, keyed by its name (`<file> § <heading> #<index>`).
 */
export interface SnippetContext {
  /** Node (`@types/node`) or a browser page (DOM types; globals pointed at a test server). */
  readonly env: SnippetEnv;
  /** Declarations the surrounding prose assumes (`topics`, `render`), typed like a user's code. */
  readonly prelude?: string;
  /** Exports what `run` needs (`export { rt, http };`). */
  readonly epilogue?: string;
  /**
   * Starts what the snippet talks to, runs it (`load`), checks that it did what the prose says and
   * releases what it started. @default loads the snippet and nothing else
   */
  readonly run?: (load: () => Promise<SnippetExports>) => Promise<void>;
}

/** The snippets' contexts, keyed by snippet name. */
export type SnippetContexts = Readonly<Record<string, SnippetContext>>;
