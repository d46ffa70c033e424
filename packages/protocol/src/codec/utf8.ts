/**
 * UTF-8 through the platform's `TextEncoder`/`TextDecoder` (every browser and Node ≥ 11 has them).
 * Reached through `globalThis` so the protocol needs no DOM or Node type declarations.
 */
interface Utf8Globals {
  TextEncoder: new () => { encode(input: string): Uint8Array };
  TextDecoder: new (label: string, options: { fatal: boolean }) => { decode(input: Uint8Array): string };
}

let encoder: { encode(input: string): Uint8Array } | undefined;
let decoder: { decode(input: Uint8Array): string } | undefined;

/** The UTF-8 bytes of `text`; exported so the clients share this one encoder. */
export function utf8Encode(text: string): Uint8Array {
  encoder ??= new (globalThis as unknown as Utf8Globals).TextEncoder();
  return encoder.encode(text);
}

/** Decodes strictly: invalid UTF-8 throws, so callers can report it as malformed. */
export function utf8Decode(bytes: Uint8Array): string {
  decoder ??= new (globalThis as unknown as Utf8Globals).TextDecoder('utf-8', { fatal: true });
  return decoder.decode(bytes);
}
