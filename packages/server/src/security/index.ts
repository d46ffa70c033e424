/** Security: principals, admission (auth, limits), token sources and authorization. */
export type { ConnectionInfo, Principal } from './principal';
export { defaultAuthorize } from './authorize';
export type { AuthorizeHook, AuthorizeRequest, TopicAction } from './authorize';
export { createAdmission } from './admission';
export type { Admission, AdmissionOptions, Admit, AuthHook, AuthRequest } from './admission';
export { extractToken } from './token-source';
export type { TokenSourceOptions } from './token-source';
