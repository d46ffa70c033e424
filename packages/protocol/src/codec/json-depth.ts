/**
 * Nesting depth of a JSON text, found by one linear scan without parsing. We check depth before
 * `JSON.parse` so a peer cannot make the parser (or later recursive code) recurse deeply:
 * `[[[[…]]]]` with 100,000 levels is a few hundred KB.
 */
export function exceedsJsonDepth(text: string, maxDepth: number): boolean {
  if (!hasMoreOpenings(text, maxDepth)) return false;
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

/**
 * Whether `text` holds more than `max` `{` and `[` in all (inside strings too): the nesting can be
 * no deeper than that. Almost every envelope has a handful, and counting them with the native
 * `indexOf` costs ~50 ns for a 190-character message where the scan above costs ~750 ns, more
 * than `JSON.parse` itself (issue #18, goal 7: every message a client receives pays it).
 */
function hasMoreOpenings(text: string, max: number): boolean {
  let count = 0;
  for (const bracket of '{[') {
    for (let i = text.indexOf(bracket); i !== -1 && count <= max; i = text.indexOf(bracket, i + 1)) count++;
  }
  return count > max;
}
