/**
 * UTF-8 encoding through the platform's `TextEncoder` (every browser, Node ≥ 11), reached
 * through `globalThis` so no DOM or Node declarations are needed.
 */
interface Utf8Globals {
  TextEncoder: new () => { encode(input: string): Uint8Array };
}

let encoder: { encode(input: string): Uint8Array } | undefined;

/** The UTF-8 bytes of `text`. */
export function utf8Encode(text: string): Uint8Array {
  encoder ??= new (globalThis as unknown as Utf8Globals).TextEncoder();
  return encoder.encode(text);
}
