import {
  type DecodeResult,
  type ServerDecodeOptions,
  decodeServerBinaryFrame,
  decodeServerEnvelope,
  type ServerEnvelope,
} from '@oxidite/protocol';

/**
 * The server may publish messages larger than it accepts from clients, so text frames have no
 * length limit here; the protocol's nesting limit still applies. The protocol's server → client
 * decoders use a hand-written guard, not zod, so they cost little in a browser bundle.
 */
const TEXT_OPTIONS: ServerDecodeOptions = { maxLength: Number.POSITIVE_INFINITY, inPlace: true };

/**
 * A WebSocket message event's data as a server envelope. Text frames carry JSON envelopes,
 * binary frames (`ArrayBuffer`, or a byte view from `ws`) a `message` with raw bytes as `data`.
 * Never throws.
 */
export function decodeFrame(data: unknown): DecodeResult<ServerEnvelope> {
  if (typeof data === 'string') return decodeServerEnvelope(data, TEXT_OPTIONS);
  if (data instanceof ArrayBuffer) return decodeServerBinaryFrame(new Uint8Array(data));
  if (ArrayBuffer.isView(data)) {
    return decodeServerBinaryFrame(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }
  return { ok: false, error: { code: 'malformed', message: 'a frame that is neither text nor bytes' } };
}
