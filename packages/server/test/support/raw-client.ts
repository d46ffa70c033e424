/** The protocol-level test client lives in @oxidite/test-utils, shared with @oxidite/redis. */
export { RawClient } from '@oxidite/test-utils';
