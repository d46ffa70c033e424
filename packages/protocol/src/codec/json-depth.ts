/**
 * Nesting depth of a JSON text, found by one linear scan without parsing. We check depth before
 * `JSON.parse` so a peer cannot make the parser (or later recursive code) recurse deeply:
 * `[[[[…]]]]` with 100,000 levels is a few hundred KB.
 *
 * Runs on every inbound frame, so it first counts the opening brackets with the engine's native
 * `indexOf` (inside strings too, which can only overcount): a text with no more of them than
 * `maxDepth` cannot nest deeper, and that is nearly every real frame. Only the others pay for the
 * exact scan in JavaScript, a character at a time (issue #18, goal 2).
 */
export function exceedsJsonDepth(text: string, maxDepth: number): boolean {
  const opened = countUpTo(text, '{', maxDepth + 1);
  if (opened + countUpTo(text, '[', maxDepth + 1 - opened) <= maxDepth) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > maxDepth) return true;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth--;
    }
  }
  return false;
}

/** Occurrences of `char` in `text`, counted up to `limit` (then the count is `limit`). */
function countUpTo(text: string, char: string, limit: number): number {
  let count = 0;
  for (let i = text.indexOf(char); i !== -1 && count < limit; i = text.indexOf(char, i + 1)) count++;
  return count;
}
