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

/** Decides whether a principal may act on a topic. May be async. */
export type AuthorizeHook = (request: AuthorizeRequest) => boolean | Promise<boolean>;

/** The owner parameter of a topic: its `owner` option, or the first parameter of `user:{…}`. */
export function ownerParam(pattern: string, owner: string | false | undefined): string | undefined {
  if (owner === false) return undefined;
  if (owner !== undefined) return owner;
  return /^user:\{([A-Za-z_][A-Za-z0-9_]*)\}/.exec(pattern)?.[1];
}

/**
 * The default policy:
 * - owned topics (`owner` option; `user:{id}` patterns by default) belong to the principal whose
 *   id equals the owner parameter: only they may subscribe or see presence, and clients never
 *   publish on them (the server does, e.g. notifications);
 * - topics declared with `clientPublish: false` are server-to-client feeds;
 * - every other declared topic may be subscribed and published by anyone who passed `auth`.
 * Replace it with your own hook; call `defaultAuthorize(request)` inside it to keep these rules.
 */
export function defaultAuthorize(request: AuthorizeRequest): boolean {
  if (request.action === 'publish' && request.clientPublish === false) return false;
  const param = ownerParam(request.pattern, request.owner);
  if (param === undefined) return true;
  if (request.action === 'publish') return false;
  return request.principal !== null && request.params[param] === request.principal.id;
}
