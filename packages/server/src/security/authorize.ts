import type { ConnectionInfo, Principal } from './principal';

/** Actions subject to authorization. */
export type TopicAction = 'subscribe' | 'publish' | 'presence';

/** The question asked of the authorize hook. */
export interface AuthorizeRequest {
  readonly action: TopicAction;
  /** The concrete topic, e.g. `user:42`. */
  readonly topic: string;
  /** The topic map declaration it matched, e.g. `user:{id}`. */
  readonly pattern: string;
  /** The pattern's parameters, e.g. `{ id: '42' }`. */
  readonly params: Readonly<Record<string, string>>;
  readonly principal: Principal | null;
  readonly connection: ConnectionInfo;
}

/** Decides whether a principal may act on a topic. May be async. */
export type AuthorizeHook = (request: AuthorizeRequest) => boolean | Promise<boolean>;

/**
 * The default policy:
 * - topics declared as `user:{…}` (first parameter of a pattern starting with `user:`) belong to
 *   the principal whose id equals that parameter: only they may subscribe or see presence, and
 *   clients never publish on them (the server does, e.g. notifications);
 * - every other declared topic may be subscribed and published by anyone who passed `auth`.
 * Replace it with your own hook; call `defaultAuthorize(request)` inside it to keep these rules.
 */
export function defaultAuthorize(request: AuthorizeRequest): boolean {
  if (request.pattern.startsWith('user:{')) {
    const owner = Object.values(request.params)[0];
    if (request.action === 'publish') return false;
    return request.principal !== null && owner === request.principal.id;
  }
  return true;
}
