import { SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX, utf8Encode } from '@oxidite/protocol';

/** `btoa` is in every browser and on Node ≥ 16; reached through `globalThis` (no DOM declarations). */
interface Base64Globals {
  btoa(binary: string): string;
}

/**
 * base64url (RFC 4648 §5, no padding) of the UTF-8 bytes of `text`. `btoa` takes Latin-1 only,
 * so it is given the bytes one character each; smaller in the bundle than an encoder written out.
 */
export function toBase64Url(text: string): string {
  const binary = Array.from(utf8Encode(text), (byte) => String.fromCharCode(byte)).join('');
  return (globalThis as unknown as Base64Globals)
    .btoa(binary)
    .replace(/=+$/, '')
    .replace(/\+/g, '-')
    .replace(/\//g, '_');
}

/**
 * The WebSocket subprotocols a client offers: `oxidite.v1`, plus `oxidite.token.<base64url token>`
 * when there is a token. Browsers cannot set headers on a WebSocket, so the token travels here;
 * the server reads it and never echoes it back.
 */
export function clientSubprotocols(token?: string): string[] {
  return token ? [SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX + toBase64Url(token)] : [SUBPROTOCOL];
}
