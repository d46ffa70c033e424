import { createMemoryAnalyticsStore } from '@oxidite/server';
import { analyticsStoreContract } from './analytics-store-contract';

// The reference implementation, checked exactly: the copied suite still describes the
// AnalyticsStore interface, not the Redis store's approximations.
analyticsStoreContract('memory store (reference)', () => createMemoryAnalyticsStore());
