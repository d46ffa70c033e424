#!/usr/bin/env node
// `pnpm fuzz`: the long run of the protocol fuzzer (packages/server/test/fuzz): 1,000,000 frames by
// default, bounded in time (11 minutes of sending). FUZZ_FRAMES, FUZZ_SEED and FUZZ_MAX_MS override.
// Builds @oxidite/protocol first: the server's tests import it from its dist/.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './setup.mjs';

const env = {
  ...process.env,
  FUZZ_FRAMES: process.env.FUZZ_FRAMES ?? '1000000',
  FUZZ_SEED: process.env.FUZZ_SEED ?? '25',
  TURBO_TELEMETRY_DISABLED: '1',
};
const run = (command, args, cwd) => spawnSync(command, args, { cwd, env, stdio: 'inherit' }).status ?? 1;

let status = run('npx', ['turbo', 'run', 'build', '--filter=@oxidite/protocol'], ROOT);
if (status === 0) {
  status = run('npx', ['vitest', 'run', 'test/fuzz/fuzz.test.ts'], path.join(ROOT, 'packages/server'));
}
process.exit(status);
