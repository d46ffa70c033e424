#!/usr/bin/env node
// `npm test`: install, lint (biome ci), then build + typecheck + test every workspace package with turbo, and print
// the totals from each package's `.vitest-results.json` (written by vitest's json reporter, see vitest.shared.ts).
// The last line is always exactly `N passed, N failed, N skipped` (CI reads it). Exit code is non-zero when the
// install, biome or turbo failed, a test failed, or a package with a `test` script produced no results file.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ensureInstalled, pnpm, prepareEnv, ROOT, workspacePackages } from './setup.mjs';

const RESULTS_FILE = '.vitest-results.json';

/** Counts and failed-test names from one vitest json report. */
function readResults(file) {
  const r = JSON.parse(readFileSync(file, 'utf8'));
  const failures = [];
  let failedFiles = 0;
  for (const suite of r.testResults ?? []) {
    const rel = path.relative(ROOT, suite.name ?? '?');
    const failedTests = (suite.assertionResults ?? []).filter((a) => a.status === 'failed');
    for (const a of failedTests) failures.push(`${rel} > ${a.fullName ?? a.title}`);
    // A file that failed to load (syntax error, throwing import, failing beforeAll) may have no failed test.
    if (suite.status === 'failed' && failedTests.length === 0) {
      failedFiles++;
      const why = String(suite.message ?? '').split('\n')[0];
      failures.push(`${rel} (the file failed${why ? `: ${why}` : ''})`);
    }
  }
  return {
    passed: r.numPassedTests ?? 0,
    failed: (r.numFailedTests ?? 0) + failedFiles,
    skipped: (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0),
    failures,
  };
}

prepareEnv();
const problems = [];
let installed = true;
try {
  await ensureInstalled();
} catch (err) {
  installed = false;
  problems.push(`install failed: ${err.message}`);
}

const packages = workspacePackages();
for (const { dir } of packages) rmSync(path.join(dir, RESULTS_FILE), { force: true });

if (installed) {
  const biome = await pnpm(['exec', 'biome', 'ci', '.']);
  if (biome !== 0)
    problems.push(`biome ci failed (exit ${biome}): lint/format errors above; \`npm run format\` fixes formatting`);
  const turbo = await pnpm(['exec', 'turbo', 'run', 'build', 'typecheck', 'test', '--continue']);
  if (turbo !== 0) problems.push(`turbo failed (exit ${turbo}): see its "Failed:" list above`);
}

const total = { passed: 0, failed: 0, skipped: 0 };
console.log('\nTest results by package:');
for (const { dir, name, scripts } of packages) {
  if (!scripts.test) continue;
  const file = path.join(dir, RESULTS_FILE);
  let res;
  try {
    res = existsSync(file) ? readResults(file) : undefined;
  } catch (err) {
    problems.push(`${name}: unreadable ${RESULTS_FILE}: ${err.message}`);
  }
  if (!res) {
    res = { passed: 0, failed: 1, skipped: 0, failures: [] };
    console.log(`  ${name}: no ${RESULTS_FILE} (its tests did not run or vitest crashed): counted as 1 failed`);
  } else {
    console.log(`  ${name}: ${res.passed} passed, ${res.failed} failed, ${res.skipped} skipped`);
  }
  for (const f of res.failures) console.log(`    FAILED ${f}`);
  total.passed += res.passed;
  total.failed += res.failed;
  total.skipped += res.skipped;
}
for (const p of problems) console.log(`ERROR: ${p}`);
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exitCode = problems.length > 0 || total.failed > 0 ? 1 : 0;
