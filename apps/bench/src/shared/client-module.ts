import { pathToFileURL } from 'node:url';

/** The `@oxidite/client` module. */
export type ClientModule = typeof import('@oxidite/client');

/** Loads `@oxidite/client`, or the build in `file` (a patched or base copy's dist/index.js) for an A/B. */
export function loadClientModule(file: string | undefined): Promise<ClientModule> {
  return import(file ? pathToFileURL(file).href : '@oxidite/client');
}
