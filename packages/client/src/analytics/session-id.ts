interface CryptoGlobals {
  readonly crypto?: {
    randomUUID?(): string;
    getRandomValues?(array: Uint8Array): Uint8Array;
  };
}

/**
 * A random session id: `crypto.randomUUID()` where available (browsers only offer it on secure
 * origins), else 128 random bits in hex from `crypto.getRandomValues`, else from `Math.random`.
 */
export function randomSessionId(): string {
  const { crypto } = globalThis as CryptoGlobals;
  if (typeof crypto?.randomUUID === 'function') return crypto.randomUUID();
  const bytes = new Uint8Array(16);
  if (typeof crypto?.getRandomValues === 'function') crypto.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
