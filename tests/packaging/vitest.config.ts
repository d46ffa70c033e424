import { defineConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared';

export default defineConfig({ test: { ...sharedTestConfig.test, testTimeout: 240_000, hookTimeout: 240_000 } });
