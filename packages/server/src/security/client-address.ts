/**
 * The client's address behind reverse proxies. `X-Forwarded-For` and `Forwarded` are written by
 * whoever sends the request, so only the hops appended by proxies we trust can be believed: the
 * chain is read from the right (the socket) leftwards, never from the client-controlled left end.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { BlockList, isIPv4, isIPv6 } from 'node:net';

/**
 * Which proxies in front of the server are trusted to report the client address:
 * - `false`: none; the client is the socket address (the default everywhere this type is used).
 * - `true`: every hop; the client is the leftmost address of the chain. Only behind a proxy you
 *   control that overwrites (not appends to) the `X-Forwarded-For` sent by clients.
 * - a number N: the last N hops are your proxies. The socket address is the first of them, so the
 *   client is the N-th entry from the right of `X-Forwarded-For`: with N = 1, a proxy at the socket
 *   and `X-Forwarded-For: spoofed, 1.2.3.4`, the client is `1.2.3.4`. 0 is the same as false.
 *   Unsafe whenever clients can reach the port without the proxy: the socket is believed to be a
 *   proxy whatever its address, so a direct client names its own address. Prefer a list.
 * - a list of proxy addresses, CIDRs (`10.0.0.0/8`, `fd00::/8`) or presets (`loopback`,
 *   `linklocal`, `uniquelocal`, see {@link TRUSTED_PROXY_PRESETS}): starting at the socket, the walk
 *   moves left while the current address is a trusted proxy; the first untrusted one is the client.
 *
 * In every mode, an entry that is not an IP address (garbage, `unknown`, an obfuscated `_id`) ends
 * the walk and the last address reached is the client: a client-chosen string is never returned.
 */
export type TrustProxy = false | true | number | readonly string[];

/**
 * The one header trusted proxies write the client address into. Only that header is read: were both
 * read, a client could send the other one through a proxy that does not overwrite it, and win.
 * - `'x-forwarded-for'`: `X-Forwarded-For: client, proxy1` (nginx, HAProxy, most load balancers).
 * - `'forwarded'`: RFC 7239 `Forwarded: for=client;proto=https, for=proxy1`.
 */
export type ProxyHeader = 'x-forwarded-for' | 'forwarded';

/** The parts of a request {@link resolveClientAddress} reads (an `IncomingMessage` fits). */
export interface ClientAddressRequest {
  readonly socket: { readonly remoteAddress?: string | undefined };
  readonly headers: IncomingHttpHeaders;
}

/** Finds the client address of a request. Never throws. */
export type ClientAddressResolver = (req: ClientAddressRequest) => string;

/** Named ranges accepted in a {@link TrustProxy} list, as in Express's `trust proxy`. */
export const TRUSTED_PROXY_PRESETS = {
  loopback: ['127.0.0.0/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
} as const;

/** Returned when the socket has no address any more (it closed before we looked). */
export const UNKNOWN_ADDRESS = 'unknown';

/** Is the address at `hop` (0 = the socket) a trusted proxy? */
type IsTrusted = (address: string, hop: number) => boolean;

const MAPPED_IPV4 = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/;
const BRACKETED = /^\[([^\]]+)\](?::\d{1,5})?$/;
const IPV4_WITH_PORT = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/;

/**
 * Canonical form of an IP address: IPv4 dotted quad, IPv6 lowercase and compressed (RFC 5952),
 * IPv4-mapped IPv6 (`::ffff:1.2.3.4`) as the IPv4 address, zone ids (`%eth0`) dropped.
 * Undefined when the input is not an IP address.
 */
export function normalizeAddress(addr: string | undefined): string | undefined {
  if (typeof addr !== 'string') return undefined;
  if (isIPv4(addr)) return addr;
  const zone = addr.indexOf('%');
  const address = zone > 0 ? addr.slice(0, zone) : addr;
  if (!isIPv6(address)) return undefined;
  let canonical: string;
  try {
    canonical = new URL(`http://[${address}]`).hostname.slice(1, -1);
  } catch {
    return undefined;
  }
  const mapped = MAPPED_IPV4.exec(canonical);
  if (!mapped) return canonical;
  const high = Number.parseInt(mapped[1] as string, 16);
  const low = Number.parseInt(mapped[2] as string, 16);
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}

/** One hop of a forwarding header: an address, maybe bracketed and with a port. */
function parseHop(entry: string): string | undefined {
  const value = entry.trim();
  const bracketed = BRACKETED.exec(value);
  if (bracketed) return isIPv6(bracketed[1] as string) ? normalizeAddress(bracketed[1]) : undefined;
  const withPort = IPV4_WITH_PORT.exec(value);
  return normalizeAddress(withPort ? withPort[1] : value);
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}

/** Splits on `separator` outside quoted strings (RFC 7230 §3.2.6). */
function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '\\' && quoted) i++;
    else if (char === '"') quoted = !quoted;
    else if (char === separator && !quoted) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** The `for=` address of each element of an RFC 7239 `Forwarded` header, left to right. */
function forwardedFor(header: string): (string | undefined)[] {
  return splitOutsideQuotes(header, ',').map((element) => {
    for (const pair of splitOutsideQuotes(element, ';')) {
      const eq = pair.indexOf('=');
      if (eq < 0 || pair.slice(0, eq).trim().toLowerCase() !== 'for') continue;
      let value = pair.slice(eq + 1).trim();
      if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
        value = value.slice(1, -1).replace(/\\(.)/g, '$1');
      }
      // `unknown` and obfuscated identifiers (`_hidden`) are not addresses: they end the walk.
      return parseHop(value);
    }
    return undefined;
  });
}

/** The forwarded hops, left (claimed client) to right (nearest proxy); undefined marks garbage. */
function forwardedChain(headers: IncomingHttpHeaders, header: ProxyHeader): (string | undefined)[] {
  const text = headerText(headers[header]);
  if (text === undefined) return [];
  return header === 'forwarded' ? forwardedFor(text) : text.split(',').map(parseHop);
}

function addTrustedEntry(list: BlockList, entry: string): void {
  const slash = entry.indexOf('/');
  const raw = slash < 0 ? entry : entry.slice(0, slash);
  const address = normalizeAddress(raw);
  if (address === undefined) throw new TypeError(`Invalid trusted proxy ${JSON.stringify(entry)}`);
  const type = isIPv4(address) ? 'ipv4' : 'ipv6';
  if (slash < 0) {
    list.addAddress(address, type);
    return;
  }
  const prefixText = entry.slice(slash + 1);
  // An IPv4-mapped CIDR (`::ffff:10.0.0.0/104`) becomes the IPv4 one (`10.0.0.0/8`).
  const prefix = Number(prefixText) - (type === 'ipv4' && raw.includes(':') ? 96 : 0);
  if (!/^\d{1,3}$/.test(prefixText) || prefix < 0 || prefix > (type === 'ipv4' ? 32 : 128)) {
    throw new TypeError(`Invalid trusted proxy ${JSON.stringify(entry)}: bad prefix length`);
  }
  list.addSubnet(address, prefix, type);
}

function compileTrust(trustProxy: TrustProxy): IsTrusted {
  if (trustProxy === false) return () => false;
  if (trustProxy === true) return () => true;
  if (typeof trustProxy === 'number') {
    if (!Number.isInteger(trustProxy) || trustProxy < 0) {
      throw new TypeError('trustProxy must be a boolean, a non-negative integer or a list of addresses');
    }
    return (_address, hop) => hop < trustProxy;
  }
  if (!Array.isArray(trustProxy)) throw new TypeError('trustProxy must be a boolean, a number or a list');
  const list = new BlockList();
  for (const entry of trustProxy) {
    if (typeof entry !== 'string') throw new TypeError('Trusted proxies must be strings');
    const preset = Object.hasOwn(TRUSTED_PROXY_PRESETS, entry)
      ? TRUSTED_PROXY_PRESETS[entry as keyof typeof TRUSTED_PROXY_PRESETS]
      : [entry];
    for (const item of preset) addTrustedEntry(list, item);
  }
  return (address) => list.check(address, isIPv4(address) ? 'ipv4' : 'ipv6');
}

function walk(req: ClientAddressRequest, isTrusted: IsTrusted, header: ProxyHeader): string {
  let current = normalizeAddress(req.socket.remoteAddress);
  if (current === undefined) return UNKNOWN_ADDRESS;
  if (!isTrusted(current, 0)) return current;
  const chain = forwardedChain(req.headers, header);
  for (let hop = 0; isTrusted(current, hop); hop++) {
    const next = chain[chain.length - 1 - hop];
    if (next === undefined) break; // chain exhausted, or garbage
    current = next;
  }
  return current;
}

/**
 * Compiles a trust setting once; use it per request. Throws a TypeError for an invalid setting
 * (a bad CIDR, a negative number): call it at startup so a typo fails loudly.
 */
export function createClientAddressResolver(
  trustProxy: TrustProxy = false,
  header: ProxyHeader = 'x-forwarded-for',
): ClientAddressResolver {
  const isTrusted = compileTrust(trustProxy);
  checkHeader(header);
  return (req) => {
    try {
      return walk(req, isTrusted, header);
    } catch {
      return normalizeAddress(req.socket.remoteAddress) ?? UNKNOWN_ADDRESS;
    }
  };
}

function checkHeader(header: ProxyHeader): void {
  if (header !== 'x-forwarded-for' && header !== 'forwarded') {
    throw new TypeError(`proxyHeader must be 'x-forwarded-for' or 'forwarded', got ${JSON.stringify(header)}`);
  }
}

const TRUST_NONE: IsTrusted = () => false;
/** Compiled lists, so that {@link resolveClientAddress} builds each BlockList once. */
const compiledLists = new WeakMap<readonly string[], IsTrusted>();

function compileOrTrustNone(trustProxy: TrustProxy): IsTrusted {
  try {
    return compileTrust(trustProxy);
  } catch {
    return TRUST_NONE;
  }
}

function trustOf(trustProxy: TrustProxy): IsTrusted {
  if (!Array.isArray(trustProxy)) return compileOrTrustNone(trustProxy);
  const list = trustProxy as readonly string[];
  let isTrusted = compiledLists.get(list);
  if (!isTrusted) {
    isTrusted = compileOrTrustNone(list);
    compiledLists.set(list, isTrusted);
  }
  return isTrusted;
}

/**
 * The client address of a request: the normalised socket address, or the address reported by
 * trusted proxies (see {@link TrustProxy}). `'unknown'` when the socket has no address. Never
 * throws: an invalid setting trusts nothing (validate it with {@link createClientAddressResolver}).
 * A list is compiled once per array identity, so do not mutate it afterwards.
 */
export function resolveClientAddress(
  req: ClientAddressRequest,
  trustProxy: TrustProxy = false,
  header: ProxyHeader = 'x-forwarded-for',
): string {
  try {
    return walk(req, trustOf(trustProxy), header === 'forwarded' ? 'forwarded' : 'x-forwarded-for');
  } catch {
    return normalizeAddress(req.socket.remoteAddress) ?? UNKNOWN_ADDRESS;
  }
}
