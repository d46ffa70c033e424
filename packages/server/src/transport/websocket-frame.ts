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
