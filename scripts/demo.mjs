#!/usr/bin/env node
// `npm run demo`: install, build the demo app and everything it depends on, then start it (Ctrl-C stops it).
// Until apps/demo exists, builds the packages and starts a minimal WebSocket echo server (scripts/echo-server.mjs).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ensureInstalled, pnpm, prepareEnv, ROOT, run } from './setup.mjs';

prepareEnv();
try {
  await ensureInstalled();
} catch (err) {
  console.error(err.message);
  process.exit(err.exitCode || 1);
}

let code;
if (existsSync(path.join(ROOT, 'apps/demo/package.json'))) {
  code = await pnpm(['exec', 'turbo', 'run', 'build', '--filter=@oxidite/demo...']);
  if (code === 0) code = await pnpm(['--filter', '@oxidite/demo', 'start'], { forwardSignals: true });
} else {
  console.log('apps/demo does not exist yet: building the packages and starting the echo server instead.');
  const build = await pnpm(['exec', 'turbo', 'run', 'build', '--filter=./packages/*']);
  if (build !== 0) {
    console.error(
      `\nBuilding the packages failed (exit ${build}). The echo server does not use them: starting it anyway.\n`,
    );
  }
  code = await run(process.execPath, [path.join(ROOT, 'scripts/echo-server.mjs')], { forwardSignals: true });
}
process.exitCode = code;
