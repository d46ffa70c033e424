/** `: <digits>` right after a key, up to the next `,` or `}`. */
const ID_VALUE = /^\s*:\s*(0|[1-9]\d{0,15})\s*(?=[,}])/;

/**
 * The request id of a JSON object text that will not be parsed (too deep): the value of its
 * top-level `"id"` key when that is a non-negative safe integer literal, found by one linear scan
 * (the last one wins, as with `JSON.parse`). So a refused frame can still be answered with its id,
 * and a client waiting on it does not time out.
 */
export function topLevelRequestId(text: string): number | undefined {
  if (text.trimStart().charCodeAt(0) !== 0x7b /* { */) return undefined;
  let depth = 0;
  let id: number | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const start = i;
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c /* \ */) i++;
      if (depth === 1 && i - start === 3 && text.startsWith('"id"', start)) {
        const value = ID_VALUE.exec(text.slice(i + 1, i + 40))?.[1];
        if (value !== undefined && Number.isSafeInteger(Number(value))) id = Number(value);
      }
    } else if (c === 0x7b || c === 0x5b /* [ */) {
      depth++;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth--;
    }
  }
  return id;
}
