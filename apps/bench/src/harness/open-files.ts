import { readFileSync } from 'node:fs';

/**
 * The hard open-files limit (`RLIMIT_NOFILE`) of this process, which its children inherit; Node
 * raises its soft limit to the hard one at start-up, so this is what a server child can open.
 * Undefined where `/proc/self/limits` does not say (not Linux) or says "unlimited".
 */
export function openFilesLimit(): number | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((row) => row.startsWith('Max open files'));
    const hard = Number(line?.split(/\s{2,}/)[2]);
    return Number.isFinite(hard) && hard > 0 ? hard : undefined;
  } catch {
    return undefined;
  }
}
