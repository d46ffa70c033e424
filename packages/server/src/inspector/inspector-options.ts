/**
 * The inspector (`inspector` option): a live page of this server's connections, topics, refusals
 * and closes, with a topic tail and a disconnect button. Off unless given.
 * @example
 * createRealtimeServer({ topics, inspector: { token: process.env.INSPECTOR_TOKEN } });
 * // then open http://host/realtime/inspector?access_token=…
 */
export interface InspectorOptions {
  /**
   * The inspector's own secret, at least 16 characters: the page and its connection are admitted
   * with it alone (`access_token` query parameter), whatever the `auth` hook says. Whoever holds
   * it sees every connection and topic and can close connections: treat it like an admin password.
   */
  readonly token: string;
  /** Path of the page. @default '/realtime/inspector' */
  readonly path?: string | undefined;
  /** How often the page's snapshot is published, in ms. @default 1_000 */
  readonly interval?: number | undefined;
}

/** The inspector's settings with defaults applied. */
export interface ResolvedInspector {
  readonly token: string;
  readonly path: string;
  readonly interval: number;
}

/** Shortest accepted token: a short secret is a guessable one. */
const MIN_TOKEN_LENGTH = 16;

/** Applies defaults; throws on a token too short to be a secret. */
export function resolveInspector(options: InspectorOptions | undefined): ResolvedInspector | undefined {
  if (!options) return undefined;
  if (typeof options.token !== 'string' || options.token.length < MIN_TOKEN_LENGTH) {
    throw new TypeError(`inspector.token must be a secret of at least ${MIN_TOKEN_LENGTH} characters`);
  }
  return {
    token: options.token,
    path: options.path ?? '/realtime/inspector',
    interval: Math.max(100, options.interval ?? 1_000),
  };
}
