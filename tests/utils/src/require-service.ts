/**
 * Decides whether a suite that needs an external program can run.
 *
 * - available: returns `true`.
 * - missing in CI (`CI=true`): throws, because CI installs every service (see `.ci/run`), so a missing one is a
 *   broken machine, not a reason to skip silently.
 * - missing locally: prints a loud `SKIPPED: …` line to stderr and returns `false`.
 *
 * @example
 * describe.skipIf(!requireService('redis-server', hasRedisServer()))('broker', () => { … });
 */
export function requireService(name: string, available: boolean): boolean {
  if (available) return true;
  if (process.env.CI === 'true') {
    throw new Error(`${name} is required in CI but was not found`);
  }
  process.stderr.write(`SKIPPED: ${name} not found — install it or run .ci/run\n`);
  return false;
}
