import type { Socket } from 'node:net';
import { EncodingSlot, type Outbound } from '../hub';

/** WebSocket opcodes (RFC 6455 §5.2). */
export const Opcode = { TEXT: 0x1, BINARY: 0x2 } as const;

/** Bytes of the header of a frame carrying `length` payload bytes: 2, 4 or 10. */
export function frameHeaderLength(length: number): number {
  return length < 126 ? 2 : length < 0x10000 ? 4 : 10;
}

/**
 * Writes the header of one unmasked, unfragmented server frame (RFC 6455 §5.2) at the start of
 * `target`: FIN + opcode, then the payload length in 7, 7+16 or 7+64 bits. Servers never mask,
 * so the payload bytes follow as they are — which is what lets one header + payload pair be
 * written to every subscriber's socket. Returns the header's length.
 */
export function writeFrameHeader(target: Buffer, length: number, opcode: number): number {
  target[0] = 0x80 | opcode;
  if (length < 126) {
    target[1] = length;
    return 2;
  }
  if (length < 0x10000) {
    target[1] = 126;
    target.writeUInt16BE(length, 2);
    return 4;
  }
  target[1] = 127;
  target.writeUInt32BE(Math.floor(length / 0x100000000), 2);
  target.writeUInt32BE(length >>> 0, 6);
  return 10;
}

/** The header of a frame of `length` payload bytes, on its own (see {@link writeFrameHeader}). */
export function encodeFrameHeader(length: number, opcode: number): Buffer {
  const header = Buffer.allocUnsafe(frameHeaderLength(length));
  writeFrameHeader(header, length, opcode);
  return header;
}

/**
 * Frames up to this size are written as one Buffer (header and payload copied together, once per
 * message): a lone frame then leaves in a plain `write` instead of a corked two-buffer `writev`,
 * which is most of what a fan-out of one message per tick costs above the system call. Larger
 * frames keep header and payload apart, so a big payload is never copied.
 */
const JOINED_FRAME_MAX = 16 * 1024;

/** A whole WebSocket frame: one Buffer, or header and payload apart (see {@link JOINED_FRAME_MAX}). */
type WireFrame = Buffer | SplitFrame;

interface SplitFrame {
  readonly header: Buffer;
  readonly payload: Buffer;
}

function isSplit(frame: WireFrame): frame is SplitFrame {
  return !(frame instanceof Uint8Array);
}

/** Writes one frame; a split one as two buffers, corked together so that they leave in one writev. */
export function writeFrame(socket: Socket, frame: WireFrame): void {
  if (!isSplit(frame)) {
    socket.write(frame);
    return;
  }
  socket.cork();
  socket.write(frame.header);
  socket.write(frame.payload);
  socket.uncork();
}

/**
 * Corked writes past the high-water mark report "need drain" even when the kernel then takes
 * them all; only bytes still buffered here mean the socket is really backed up.
 */
export function isBackedUp(socket: Socket): boolean {
  return socket.writableNeedDrain && socket.writableLength > 0;
}

/** The WebSocket frame of a value, built once and shared by every socket it goes to. */
export function frameOf(item: Outbound): WireFrame {
  return item.cache(EncodingSlot.WEBSOCKET_FRAME, buildFrame);
}

function buildFrame(item: Outbound): WireFrame {
  const text = item.hasFrame ? undefined : item.text();
  if (text !== undefined) {
    // A text value nobody has encoded yet (a reply, a message to WebSocket subscribers only):
    // its UTF-8 goes straight behind the header, and the payload bytes are shared back with it.
    const length = Buffer.byteLength(text);
    if (length > JOINED_FRAME_MAX) {
      const payload = Buffer.from(text); // the text is built: not a second time by `item.frame`
      item.adoptFrame(payload, 0);
    } else {
      const start = frameHeaderLength(length);
      const frame = Buffer.allocUnsafe(start + length);
      writeFrameHeader(frame, length, Opcode.TEXT);
      frame.write(text, start, length, 'utf8');
      item.adoptFrame(frame, start);
      return frame;
    }
  }
  const payload = item.frame;
  const header = encodeFrameHeader(payload.length, item.isBinary ? Opcode.BINARY : Opcode.TEXT);
  return payload.length > JOINED_FRAME_MAX ? { header, payload } : Buffer.concat([header, payload]);
}

export function frameLength(frame: WireFrame): number {
  return isSplit(frame) ? frame.header.length + frame.payload.length : frame.length;
}
