import type { ViteUserConfig } from 'vitest/config';

/**
 * Shared vitest settings: every package writes `.vitest-results.json`, which `scripts/test.mjs`
 * sums into the plain `N passed, N failed` line that CI reads.
 */
export const sharedTestConfig: ViteUserConfig = {
  test: {
    reporters: ['default', ['json', { outputFile: '.vitest-results.json' }]],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
};
