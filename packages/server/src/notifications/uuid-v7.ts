import { randomBytes } from 'node:crypto';

/** Options of {@link createUuidV7Generator}. */
export interface UuidV7Options {
  /** Clock, ms since the Unix epoch. @default Date.now */
  readonly now?: (() => number) | undefined;
  /** Source of random bytes. @default node:crypto `randomBytes` */
  readonly random?: ((size: number) => Uint8Array) | undefined;
}

const COUNTER_MAX = 0xfff;

/**
 * Creates a UUIDv7 generator (RFC 9562 §5.7): a 48-bit big-endian ms timestamp, version `7`,
 * a 12-bit counter in `rand_a`, the `10` variant, then 62 random bits.
 *
 * Ids from one generator are strictly increasing, also within a millisecond and when the clock
 * steps back (RFC 9562 §6.2, method 1): each new millisecond seeds the counter with 11 random bits
 * (its top bit clear, leaving at least 2,048 increments); a same-or-earlier reading increments it,
 * and an exhausted counter moves the timestamp one ms ahead of the clock.
 *
 * @example
 * const uuidV7 = createUuidV7Generator();
 * uuidV7(); // '0192f0c4-6f5e-7a3b-9c1d-2e3f4a5b6c7d'
 */
export function createUuidV7Generator(options: UuidV7Options = {}): () => string {
  const now = options.now ?? Date.now;
  const random = options.random ?? randomBytes;
  let lastMs = -1;
  let counter = 0;
  return () => {
    const bytes = random(16);
    const ms = Math.floor(now());
    if (ms > lastMs) {
      lastMs = ms;
      counter = (((bytes[6] ?? 0) << 8) | (bytes[7] ?? 0)) & 0x7ff;
    } else if (counter < COUNTER_MAX) {
      counter++;
    } else {
      lastMs++;
      counter = (((bytes[6] ?? 0) << 8) | (bytes[7] ?? 0)) & 0x7ff;
    }
    const out = new Uint8Array(16);
    const high = Math.floor(lastMs / 2 ** 32);
    const low = lastMs % 2 ** 32;
    out[0] = (high >>> 8) & 0xff;
    out[1] = high & 0xff;
    out[2] = (low >>> 24) & 0xff;
    out[3] = (low >>> 16) & 0xff;
    out[4] = (low >>> 8) & 0xff;
    out[5] = low & 0xff;
    out[6] = 0x70 | (counter >>> 8);
    out[7] = counter & 0xff;
    out[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
    out.set(bytes.subarray(9, 16), 9);
    return formatUuid(out);
  };
}

function formatUuid(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The ms timestamp of a UUIDv7 (its first 48 bits). */
export function uuidV7Timestamp(id: string): number {
  return Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}

/** Generates a UUIDv7 from a process-wide generator (monotonic within this process). */
export const uuidV7: () => string = /* @__PURE__ */ createUuidV7Generator();
