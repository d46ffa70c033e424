import { SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX } from '@oxidite/protocol';
import { utf8Encode } from '../wire/utf8';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * base64url (RFC 4648 §5, no padding) of the UTF-8 bytes of `text`. Written out rather than
 * through `Buffer` (Node only) or `btoa` (Latin-1 only) so it runs in every browser and on Node.
 */
export function toBase64Url(text: string): string {
  const bytes = utf8Encode(text);
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out += ALPHABET[n >>> 18]! + ALPHABET[(n >>> 12) & 63]! + ALPHABET[(n >>> 6) & 63]! + ALPHABET[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest > 0) {
    const n = ((bytes[i] as number) << 16) | (rest === 2 ? (bytes[i + 1] as number) << 8 : 0);
    out += ALPHABET[n >>> 18]! + ALPHABET[(n >>> 12) & 63]!;
    if (rest === 2) out += ALPHABET[(n >>> 6) & 63]!;
  }
  return out;
}

/**
 * The WebSocket subprotocols a client offers: `oxidite.v1`, plus `oxidite.token.<base64url token>`
 * when there is a token. Browsers cannot set headers on a WebSocket, so the token travels here;
 * the server reads it and never echoes it back.
 */
export function clientSubprotocols(token?: string): string[] {
  return token ? [SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX + toBase64Url(token)] : [SUBPROTOCOL];
}
