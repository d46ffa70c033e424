import { fileURLToPath } from 'node:url';
import { bundleForBrowser } from '@oxidite/test-utils';
import { describe, expect, it } from 'vitest';

/**
 * What a browser app ships, bundled by esbuild the way an app would (`@oxidite/protocol` from its
 * built `dist`, as an app installs it), minified, gzipped at level 9. For scale, measured the same
 * way: socket.io-client 13.5 KB, centrifuge 19.6 KB (neither validates anything at runtime).
 *
 * - The client itself — WebSocket client with reconnect, recovery, queue and RPC, plus the typed
 *   SSE client — must stay under 12 KB. Exactly-once publishing (~180 B) and the protocol's one
 *   validator kit (~130 B) took it to 12,375 B on 2026-12-06 (the budget was raised to 12.5 KB
 *   for a day); issue #18 won it back: 12,243 B, with the scanner for the id of a too-deep frame
 *   left to the server's decoders and the token encoded through `btoa`.
 * - The optional helpers (notification inbox, analytics tracker) tree-shake away when unused; the
 *   whole entry with them is guarded separately so it cannot grow unnoticed.
 */
// Raised again to 12.5 KiB the same evening: the fixes of the outside runs (a hung token provider,
// an undecodable frame that hid a message, a binary publish over the limit resent forever, an SSE
// 200 that is no stream) plus `messageId`, `queued` and the `retry` event came to ~350 B; the
// lazily built client-envelope guard of the server's decoders (~700 B) was kept out of it. Issue #18
// goal 7 took 53 B back (12,544 B: one `TextEncoder`, one error-envelope conversion, one set of
// backoff defaults); 12 KiB is still 256 B away, so the budget stays.
const CLIENT_BUDGET_BYTES = 12.5 * 1024;
/**
 * Everything in `src/index.ts`, measured at 13,927 B on 2026-11-25, and at 16,502 B on 2026-12-06
 * once the SSE client owned its reconnect (a `fetch` reader with the protocol's WHATWG parser,
 * issue #15); budget = that + ~8%.
 */
const FULL_ENTRY_BUDGET_BYTES = 17.5 * 1024;

const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url));

function bundle(contents: string) {
  return bundleForBrowser(contents, { resolveDir: fileURLToPath(new URL('.', import.meta.url)) });
}

function expectBrowserSafe(code: string, inputs: string[]): void {
  expect(inputs.filter((input) => input.includes('node_modules/zod'))).toEqual([]);
  expect(inputs.filter((input) => input.startsWith('node:') || input.includes('node_modules/ws/'))).toEqual([]);
  expect(code).not.toMatch(/require\(\s*["']node:|from\s*["']node:|import\(\s*["']node:/);
}

describe('browser bundle of the client', () => {
  it(`the client (WebSocket + SSE) stays under ${CLIENT_BUDGET_BYTES} bytes min+gzip, without zod or Node built-ins`, async () => {
    const app = `import { createClient, createEventStream, isRealtimeError, CloseCode } from ${JSON.stringify(entry)};
      console.log(createClient, createEventStream, isRealtimeError, CloseCode);`;
    const { code, inputs, gzipped } = await bundle(app);
    console.log(`@oxidite/client (createClient + createEventStream): ${code.length} B minified, ${gzipped} B min+gzip`);
    expect(gzipped).toBeLessThan(CLIENT_BUDGET_BYTES);
    expectBrowserSafe(code, inputs);
  });

  it(`the whole entry, with the optional helpers, stays under ${FULL_ENTRY_BUDGET_BYTES} bytes`, async () => {
    const { code, inputs, gzipped } = await bundle(`export * from ${JSON.stringify(entry)};`);
    console.log(`@oxidite/client (everything): ${code.length} B minified, ${gzipped} B min+gzip`);
    expect(gzipped).toBeLessThan(FULL_ENTRY_BUDGET_BYTES);
    expectBrowserSafe(code, inputs);
  });
});
