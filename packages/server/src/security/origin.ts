/**
 * The `Origin` check that stops cross-site WebSocket hijacking: a page on another site may open a
 * WebSocket (or a credentialed EventSource) to us and the browser attaches our cookies, so the
 * server must look at the `Origin` the browser sent (RFC 6454 §7, RFC 6455 §10.2).
 */

/**
 * Which page origins may connect:
 * - `'same-origin'`: the Origin's host and port must equal the request's `Host` header. The scheme
 *   is not compared, because TLS often terminates at a proxy in front of the server.
 * - `'*'`: every origin, and requests without one. Unsafe when connections authenticate with
 *   cookies: any site could then open a connection in the name of a signed-in visitor.
 * - a list of origins `scheme://host[:port]`, matched exactly after WHATWG URL normalisation
 *   (lowercase host, default port dropped, IDN as punycode), never by prefix or substring. An
 *   entry may start with a wildcard label, `https://*.example.com`, which matches one or more
 *   subdomain labels of `example.com` with the same scheme and port, but not `example.com` itself.
 */
export type OriginPolicy = 'same-origin' | '*' | readonly string[];

/** Options of {@link createOriginCheck}. */
export interface OriginOptions {
  /**
   * Which page origins may connect; see {@link OriginPolicy}. Invalid list entries (a path, a
   * `*` other than a leading label, no scheme, `null`) throw a TypeError when the check is created.
   * @default 'same-origin'
   */
  readonly origins?: OriginPolicy | undefined;
  /**
   * Admit requests that carry no `Origin` header. Browsers always send one on WebSocket upgrades
   * and on cross-origin EventSource requests, so a request without one comes from a non-browser
   * client (a server, a CLI, a mobile app), which is no cross-site hijacking vector.
   * @default true
   */
  readonly allowMissingOrigin?: boolean | undefined;
}

/** The verdict of an {@link OriginCheck}; `reason` is short and safe to log. */
export type OriginVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** Checks the `Origin` header of a request against the policy, given its `Host` header. Never throws. */
export type OriginCheck = (origin: string | undefined, host: string | undefined) => OriginVerdict;

/** An origin split into its normalised parts. */
interface OriginParts {
  readonly scheme: string;
  readonly hostname: string;
  /** Empty for the scheme's default port. */
  readonly port: string;
}

/** A `*.base` allowlist entry. */
interface WildcardEntry {
  readonly scheme: string;
  /** `.base`, e.g. `.example.com`. */
  readonly suffix: string;
  readonly port: string;
}

const ALLOWED = { ok: true } as const;
/** The serialised-origin syntax (RFC 6454 §6.2): no userinfo, path, query or fragment. */
const ORIGIN_SYNTAX = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#@\\\s]+)$/;
/** Host and optional port; the port without leading zeros (browsers never send any). */
const AUTHORITY_SYNTAX = /^(\[[0-9A-Fa-f:.]+\]|[^[\]:/?#@\\\s]+)(?::(0|[1-9][0-9]{0,4}))?$/;
/** A normalised host name or IP literal; rejects `*`, `%`, empty labels and other oddities. */
const HOSTNAME_SYNTAX = /^(?:[a-z0-9_-]+(?:\.[a-z0-9_-]+)*\.?|\[[0-9a-f:.]+\])$/;
const DEFAULT_PORTS: Readonly<Record<string, string>> = { http: '80', https: '443', ws: '80', wss: '443' };
const WILDCARD_LABEL = 'wildcard';
const MAX_REASON_INPUT = 100;

/** Makes a client-sent value safe and short enough for a log line. */
function forLog(value: string): string {
  const printable = value.replace(/[^\x20-\x7e]/g, '?');
  return printable.length > MAX_REASON_INPUT ? `${printable.slice(0, MAX_REASON_INPUT)}…` : printable;
}

function parseAuthority(scheme: string, authority: string): OriginParts | undefined {
  if (!AUTHORITY_SYNTAX.test(authority)) return undefined;
  let url: URL;
  try {
    url = new URL(`${scheme}://${authority}`);
  } catch {
    return undefined;
  }
  // Non-special schemes (`capacitor:`, `tauri:`) keep the host's case: lowercase it ourselves.
  const hostname = url.hostname.toLowerCase();
  if (!HOSTNAME_SYNTAX.test(hostname)) return undefined;
  return { scheme: scheme.toLowerCase(), hostname, port: url.port };
}

/** Parses a serialised origin strictly; undefined when it is not one. */
function parseOrigin(origin: string): OriginParts | undefined {
  const match = ORIGIN_SYNTAX.exec(origin);
  if (!match) return undefined;
  return parseAuthority(match[1] as string, match[2] as string);
}

function originKey(parts: OriginParts): string {
  return `${parts.scheme}://${parts.hostname}${parts.port ? `:${parts.port}` : ''}`;
}

function invalidEntry(entry: string, why: string): TypeError {
  return new TypeError(`Invalid allowed origin ${JSON.stringify(entry)}: ${why}`);
}

function parseWildcard(entry: string, scheme: string, authority: string): WildcardEntry {
  const parts = parseAuthority(scheme, `${WILDCARD_LABEL}.${authority.slice(2)}`);
  if (!parts?.hostname.startsWith(`${WILDCARD_LABEL}.`)) throw invalidEntry(entry, 'bad host');
  const base = parts.hostname.slice(WILDCARD_LABEL.length + 1);
  if (/^[0-9.]+$/.test(base) || base.startsWith('[')) throw invalidEntry(entry, 'a wildcard needs a domain name');
  // `*.com` would admit every .com site; `*.localhost` is a common development setup.
  if (!base.includes('.') && base !== 'localhost') throw invalidEntry(entry, 'a wildcard needs two labels or more');
  return { scheme: parts.scheme, suffix: `.${base}`, port: parts.port };
}

function compileAllowlist(entries: readonly string[]): { exact: Set<string>; wildcards: WildcardEntry[] } {
  const exact = new Set<string>();
  const wildcards: WildcardEntry[] = [];
  for (const entry of entries) {
    if (typeof entry !== 'string') throw new TypeError('Allowed origins must be strings');
    if (entry === 'null') throw invalidEntry(entry, 'opaque origins are shared by every sandboxed page');
    const match = ORIGIN_SYNTAX.exec(entry);
    if (!match) throw invalidEntry(entry, 'expected scheme://host[:port] without a path or trailing slash');
    const scheme = match[1] as string;
    const authority = match[2] as string;
    if (authority.startsWith('*.') && !authority.slice(2).includes('*')) {
      wildcards.push(parseWildcard(entry, scheme, authority));
      continue;
    }
    if (authority.includes('*')) throw invalidEntry(entry, 'a wildcard may only be the leading label (*.example.com)');
    const parts = parseAuthority(scheme, authority);
    if (!parts) throw invalidEntry(entry, 'bad host or port');
    exact.add(originKey(parts));
  }
  return { exact, wildcards };
}

function matchesWildcard(parts: OriginParts, wildcard: WildcardEntry): boolean {
  if (parts.scheme !== wildcard.scheme || parts.port !== wildcard.port) return false;
  // The syntax check already refused empty labels, so a non-empty prefix is one or more labels.
  return parts.hostname.length > wildcard.suffix.length && parts.hostname.endsWith(wildcard.suffix);
}

/** Whether the Origin names the same host and port as the `Host` header (default ports made explicit). */
function isSameHost(parts: OriginParts, host: string): boolean {
  const target = parseAuthority(parts.scheme, host);
  if (!target || target.hostname !== parts.hostname) return false;
  if (target.port === parts.port) return true;
  const defaultPort = DEFAULT_PORTS[parts.scheme];
  // Origin `https://a.com` (443 dropped) and `Host: a.com:443`; `Host: a.com` with an explicit
  // non-default Origin port is a different port whatever the request's scheme was.
  return parts.port === '' && defaultPort !== undefined && target.port === defaultPort;
}

/**
 * Builds the Origin check for WebSocket upgrades and SSE requests.
 *
 * @example
 * const check = createOriginCheck({ origins: ['https://app.example.com', 'https://*.preview.example.com'] });
 * check(req.headers.origin, req.headers.host); // { ok: true } or { ok: false, reason }
 */
export function createOriginCheck(options: OriginOptions = {}): OriginCheck {
  const policy = options.origins ?? 'same-origin';
  const allowMissing = options.allowMissingOrigin ?? true;
  if (policy === '*') return () => ALLOWED;
  if (policy !== 'same-origin' && !Array.isArray(policy)) {
    throw new TypeError("origins must be 'same-origin', '*' or a list of origins");
  }
  const allowlist = policy === 'same-origin' ? undefined : compileAllowlist(policy);

  return (origin, host) => {
    if (origin === undefined) return allowMissing ? ALLOWED : { ok: false, reason: 'missing origin' };
    const parts = parseOrigin(origin);
    if (!parts) {
      return {
        ok: false,
        reason: origin === 'null' ? 'origin not allowed: null' : `malformed origin: ${forLog(origin)}`,
      };
    }
    if (!allowlist) {
      if (host === undefined) return { ok: false, reason: 'missing host' };
      return isSameHost(parts, host) ? ALLOWED : { ok: false, reason: `origin not allowed: ${forLog(origin)}` };
    }
    if (allowlist.exact.has(originKey(parts))) return ALLOWED;
    for (const wildcard of allowlist.wildcards) {
      if (matchesWildcard(parts, wildcard)) return ALLOWED;
    }
    return { ok: false, reason: `origin not allowed: ${forLog(origin)}` };
  };
}
