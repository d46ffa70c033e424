import type * as z from 'zod';

/** One mistake in a config: where, what was expected, what was found. */
export interface ConfigProblem {
  /** Dotted path in the config (`topics.chat:{room}.history.size`), or `(root)`. */
  readonly path: string;
  readonly expected: string;
  readonly got: string;
}

/** A config that cannot start a hub: every problem at once, so one run shows them all. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly problems: readonly ConfigProblem[];

  constructor(source: string, problems: readonly ConfigProblem[]) {
    super(
      `invalid config ${source}:\n${problems.map((p) => `  ${p.path}: expected ${p.expected}, got ${p.got}`).join('\n')}`,
    );
    this.problems = problems;
  }
}

/** A short, secret-free description of a value found in a config. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string')
    return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value);
  return `${typeof value} ${String(value)}`;
}

/** Turns zod issues into problems (zod must be run with `reportInput: true`). */
export function problemsOf(issues: readonly z.core.$ZodIssue[]): ConfigProblem[] {
  return issues.map((issue) => {
    const path = issue.path.length === 0 ? '(root)' : issue.path.map(String).join('.');
    const input: unknown = 'input' in issue ? issue.input : undefined;
    if (issue.code === 'invalid_type') return { path, expected: issue.expected, got: describeValue(input) };
    if (issue.code === 'unrecognized_keys') return { path, expected: 'no other keys', got: issue.keys.join(', ') };
    return { path, expected: issue.message, got: describeValue(input) };
  });
}
