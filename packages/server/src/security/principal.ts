/** Who is on the other end of a connection, as established by the `auth` hook. */
export interface Principal {
  /** Stable user id. `user:{id}` topics belong to the principal with this id. */
  readonly id: string;
  /** Public info shared with other subscribers through presence (e.g. a display name). */
  readonly info?: unknown | undefined;
  /** When the credential expires (ms since the Unix epoch); the server asks for a fresh token before. */
  readonly expiresAt?: number | undefined;
  /** Verified claims, for the authorize hook. */
  readonly claims?: Readonly<Record<string, unknown>> | undefined;
}

/** What the hooks know about a connection. */
export interface ConnectionInfo {
  /** Session id, unique per connection (also the presence `client` id). */
  readonly id: string;
  readonly transport: 'websocket' | 'sse';
  /** The principal, or null for an anonymous connection. */
  readonly principal: Principal | null;
  /** The client address (socket address, or from trusted proxy headers). */
  readonly remoteAddress: string;
  /** The `Origin` header, if any. */
  readonly origin: string | undefined;
}

/**
 * Verifies a token sent in band (an `auth` envelope, to refresh a connection's credentials): the
 * principal, or null to refuse. `createJwtAuth().verifyToken` is one.
 */
export type TokenVerifier = (token: string, connection: ConnectionInfo) => Principal | null | Promise<Principal | null>;
