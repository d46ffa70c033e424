import { defineConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared';

export default defineConfig({
  ...sharedTestConfig,
  // React's automatic JSX runtime for the .tsx tests.
  oxc: { jsx: { runtime: 'automatic' } },
});
