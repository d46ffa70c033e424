import { fileURLToPath } from 'node:url';
import { bundleForBrowser } from '@oxidite/test-utils';
import type { Plugin } from 'esbuild';
import { describe, expect, it } from 'vitest';

/**
 * What the hooks add to an app's browser bundle: the app bundled with and without them (esbuild,
 * minified, gzip level 9, `@oxidite/client` from its built `dist` as an app installs it), React
 * left out because the app has it anyway. The budget of issue #22 is 2 KB.
 */
const BUDGET_BYTES = 2 * 1024;

const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url));

/** React is the app's (a peer dependency): not part of what this package adds. */
const reactIsExternal: Plugin = {
  name: 'react-is-external',
  setup(build) {
    build.onResolve({ filter: /^react(\/.*)?$/ }, (args) => ({ path: args.path, external: true }));
  },
};

async function added(clientImports: string, hookImports: string): Promise<{ without: number; with: number }> {
  const client = `import { ${clientImports} } from '@oxidite/client'; console.log(${clientImports});`;
  const hooks = `import { ${hookImports} } from ${JSON.stringify(entry)}; console.log(${hookImports});`;
  const bundle = (contents: string) =>
    bundleForBrowser(contents, {
      resolveDir: fileURLToPath(new URL('.', import.meta.url)),
      plugins: [reactIsExternal],
    });
  const [without, withHooks] = await Promise.all([bundle(client), bundle(`${client}\n${hooks}`)]);
  expect(withHooks.inputs.filter((input) => input.includes('node_modules/react'))).toEqual([]);
  return { without: without.gzipped, with: withHooks.gzipped };
}

describe('browser bundle of the hooks', () => {
  it(`the provider and the topic hooks add less than ${BUDGET_BYTES} bytes min+gzip to the client`, async () => {
    const size = await added('createClient, createEventStream', 'createOxiditeHooks');
    console.log(`@oxidite/react (createOxiditeHooks): ${size.with} − ${size.without} = ${size.with - size.without} B`);
    expect(size.with - size.without).toBeLessThan(BUDGET_BYTES);
  });

  it(`every hook adds less than ${BUDGET_BYTES} bytes to the client parts they use (the inbox, the SSE client)`, async () => {
    const size = await added(
      'createClient, createEventStream, createNotificationInbox',
      'createOxiditeHooks, useNotifications, useEventStream',
    );
    console.log(`@oxidite/react (everything): ${size.with} − ${size.without} = ${size.with - size.without} B`);
    expect(size.with - size.without).toBeLessThan(BUDGET_BYTES);
  });
});
