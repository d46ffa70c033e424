import type { Member, StreamOffset } from '@oxidite/protocol';
import type { Payload, PresenceChange, StreamMessage } from '@oxidite/server';

/** Payload kinds as stored in a stream entry's `k` field and in channel messages. */
export const PayloadKind = { JSON: 'j', BYTES: 'b' } as const;

/** The kind and raw bytes of a payload: JSON text as UTF-8, binary as is (never base64). */
export function encodePayload(payload: Payload): { kind: string; data: Buffer } {
  if (payload.bytes !== undefined) {
    return {
      kind: PayloadKind.BYTES,
      data: Buffer.from(payload.bytes.buffer, payload.bytes.byteOffset, payload.bytes.byteLength),
    };
  }
  return { kind: PayloadKind.JSON, data: Buffer.from(payload.json, 'utf8') };
}

/** The inverse of {@link encodePayload}. */
export function decodePayload(kind: string, data: Buffer): Payload {
  if (kind === PayloadKind.BYTES) return { bytes: new Uint8Array(data) };
  return { json: data.toString('utf8') };
}

/** A stream entry (`[id, [field, value, …]]`, read as Buffers) as a message. */
export function entryToMessage(topic: string, epoch: string, entry: unknown): StreamMessage | undefined {
  if (!Array.isArray(entry) || !Array.isArray(entry[1])) return undefined;
  const id = String(entry[0]);
  const fields = entry[1] as Buffer[];
  let ts = 0;
  let kind = PayloadKind.JSON as string;
  let data: Buffer = Buffer.alloc(0);
  let traceparent: string | undefined;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const name = String(fields[i]);
    const value = fields[i + 1] as Buffer;
    if (name === 't') ts = Number(String(value));
    else if (name === 'k') kind = String(value);
    else if (name === 'd') data = value;
    else if (name === 'p') traceparent = String(value);
  }
  const seq = Number(id.slice(0, id.indexOf('-')));
  const message = { topic, offset: { epoch, seq }, ts, payload: decodePayload(kind, data) };
  return traceparent === undefined ? message : { ...message, traceparent };
}

/** Encodes a presence change for the topic channel: `p\n<json>`. */
export function encodePresence(joins: readonly Member[], leaves: readonly Member[]): string {
  return `p\n${JSON.stringify({ joins, leaves })}`;
}

/** What arrives on a topic channel. */
export type ChannelEvent =
  | { readonly type: 'message'; readonly message: StreamMessage }
  | { readonly type: 'presence'; readonly change: PresenceChange };

/** Decodes a channel message (see the publish script and {@link encodePresence}); undefined if malformed. */
export function decodeChannelMessage(topic: string, raw: Buffer): ChannelEvent | undefined {
  if (raw[0] === 0x70 /* p */) {
    const parsed = JSON.parse(raw.subarray(2).toString('utf8')) as { joins?: Member[]; leaves?: Member[] };
    return { type: 'presence', change: { topic, joins: parsed.joins ?? [], leaves: parsed.leaves ?? [] } };
  }
  // `m`: 5 header lines then the payload; `M` (traced): a 6th line, the traceparent.
  const isTraced = raw[0] === 0x4d; /* M */
  const header: string[] = [];
  let start = 0;
  for (let i = 0; i < (isTraced ? 6 : 5); i++) {
    const end = raw.indexOf(0x0a, start);
    if (end < 0) return undefined;
    header.push(raw.subarray(start, end).toString('utf8'));
    start = end + 1;
  }
  const [type, epoch, seq, ts, kind, traceparent] = header as [string, string, string, string, string, string?];
  if (type !== (isTraced ? 'M' : 'm')) return undefined;
  const offset: StreamOffset = { epoch, seq: Number(seq) };
  const message = { topic, offset, ts: Number(ts), payload: decodePayload(kind, raw.subarray(start)) };
  return { type: 'message', message: traceparent === undefined ? message : { ...message, traceparent } };
}
