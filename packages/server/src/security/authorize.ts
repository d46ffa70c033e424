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
  /** The topic's `owner` option, as declared. */
  readonly owner: string | false | undefined;
  /** The topic's `clientPublish` option, as declared. */
  readonly clientPublish: boolean | undefined;
  readonly principal: Principal | null;
  readonly connection: ConnectionInfo;
}

/**
 * Decides whether a principal may act on a topic. May be async. It only ever narrows: it is asked
 * after the rules declared with the topic ({@link topicRules}) have allowed the request, so no hook
 * can open an owned topic to another user or let clients publish on a `clientPublish: false` feed.
 */
export type AuthorizeHook = (request: AuthorizeRequest) => boolean | Promise<boolean>;

/** The owner parameter of a topic: its `owner` option, or the first parameter of `user:{…}`. */
export function ownerParam(pattern: string, owner: string | false | undefined): string | undefined {
  if (owner === false) return undefined;
  if (owner !== undefined) return owner;
  return /^user:\{([A-Za-z_][A-Za-z0-9_]*)\}/.exec(pattern)?.[1];
}

/**
 * The rules declared with the topic map, enforced by the server on every request before any
 * `authorize` hook runs (a hook can only narrow them, never switch them off):
 * - owned topics (`owner` option; `user:{id}` patterns by default) belong to the principal whose
 *   id equals the owner parameter: only they may subscribe or see presence, and clients never
 *   publish on them (the server does, e.g. notifications);
 * - topics declared with `clientPublish: false` are server-to-client feeds (e.g. `analytics:metrics`);
 * - every other declared topic may be subscribed and published by anyone who passed `auth`.
 * To open an owned topic to others, declare it without an owner (`owner: false`) and decide in the hook.
 */
export function topicRules(request: AuthorizeRequest): boolean {
  if (request.action === 'publish' && request.clientPublish === false) return false;
  const param = ownerParam(request.pattern, request.owner);
  if (param === undefined) return true;
  if (request.action === 'publish') return false;
  return request.principal !== null && request.params[param] === request.principal.id;
}

/**
 * @deprecated The declared rules are now always enforced before the hook; calling this inside a
 * hook is harmless but no longer needed. Use {@link topicRules} to test a request against them.
 */
export const defaultAuthorize: (request: AuthorizeRequest) => boolean = topicRules;
