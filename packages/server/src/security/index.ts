/** Security: principals, admission (auth, limits), token sources and authorization. */
export type { ConnectionInfo, Principal, TokenVerifier } from './principal';
export { defaultAuthorize, ownerParam, topicRules } from './authorize';
export {
  type ConnectionCaps,
  DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
  DEFAULT_MAX_CONNECTIONS_PER_USER,
  resolveConnectionCaps,
} from './connection-caps';
export type { AuthorizeHook, AuthorizeRequest, TopicAction } from './authorize';
export { createAdmission, createUserCapCheck } from './admission';
export { createRequestCharge } from './request-charge';
export type { ChargeRequest, Refusal } from './request-charge';
export { MAX_PRINCIPAL_ID_LENGTH, principalProblem } from './principal-check';
export type { Admission, AdmissionOptions, Admit, AuthHook, AuthRequest, UserCapCheck } from './admission';
export { extractToken } from './token-source';
export { createOriginCheck } from './origin';
export type { OriginCheck, OriginOptions, OriginPolicy, OriginVerdict } from './origin';
export { createClientAddressResolver, normalizeAddress, resolveClientAddress } from './client-address';
export type { ClientAddressRequest, ClientAddressResolver, ProxyHeader, TrustProxy } from './client-address';
export { assertRateRule, RETRY_NEVER, takeTokens } from './rate-limiter';
export type { BucketState, RateDecision, RateLimiter, RateRule } from './rate-limiter';
export { createMemoryRateLimiter } from './memory-rate-limiter';
export type { MemoryRateLimiter, MemoryRateLimiterOptions } from './memory-rate-limiter';
export { createMemoryConnectionCounter } from './connection-counter';
export type { ConnectionCounter, MemoryConnectionCounter } from './connection-counter';
export { JWT_FAILURE, createJwtAuth } from './jwt';
export type { JwtAuth, JwtAuthOptions, JwtFailure, JwtSignOptions } from './jwt';
export { InboundLimit } from './inbound-limit';
export type { InboundLimitState, InboundVerdict } from './inbound-limit';
export { DEFAULT_RATE_LIMITS, resolveRateLimits } from './security-options';
export type { RateLimits, ResolvedRateLimits, SecurityOptions } from './security-options';
export type { TokenSourceOptions } from './token-source';
export { INSPECTOR_PRINCIPAL, INSPECTOR_TOPIC, isInspector } from './inspector-principal';
