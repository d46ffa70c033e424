/** The AnalyticsStore contract lives in @oxidite/test-utils, shared with @oxidite/redis. */
export { analyticsStoreContract } from '@oxidite/test-utils';
export type { AnalyticsContractOptions, AnalyticsStoreFactory } from '@oxidite/test-utils';
