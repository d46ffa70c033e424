import { RE2JS } from 're2js';
import type { RegExpEngine } from 'ajv/dist/types/index.js';

/**
 * The regular-expression engine of the topics' JSON Schemas (`pattern`, `patternProperties`,
 * `propertyNames`): RE2's linear-time matcher, in pure JavaScript (re2js).
 *
 * Why: ajv's default is the built-in backtracking `RegExp`, with which one schema pattern such as
 * `^(a+)+$` lets a single anonymous publish of 30 characters block the event loop for seconds.
 * The config is the operator's, but a publisher must not be able to freeze the hub through it.
 * RE2 runs in time linear in the input, whatever the pattern. The native `re2` binding ajv's docs
 * suggest would need a compiler at install; a start-time "safe regex" heuristic misses patterns.
 * The price: RE2 has no backreferences and no lookaround, so such a pattern is refused at start
 * (a config error naming it) instead of being accepted.
 */
export const linearRegExp: RegExpEngine = Object.assign(
  (pattern: string, flags: string) => {
    // JSON Schema patterns are ECMA-262 with the `u` flag (ajv passes it); RE2 is always Unicode-aware.
    void flags;
    const compiled = RE2JS.compile(RE2JS.translateRegExp(pattern));
    return {
      test: (input: string) => compiled.test(input),
      // ajv caches compiled patterns by this string: without it every pattern would share one entry.
      toString: () => `re2js:${flags}:${pattern}`,
    };
  },
  // Only read by ajv's standalone code generation, which the hub does not use.
  { code: 're2js' },
);
