/** WebSocket opcodes (RFC 6455 §5.2). */
export const Opcode = { TEXT: 0x1, BINARY: 0x2 } as const;

/**
 * The header of one unmasked, unfragmented server frame (RFC 6455 §5.2): FIN + opcode, then the
 * payload length in 7, 7+16 or 7+64 bits. Servers never mask, so the payload bytes follow as they
 * are — which is what lets one header + payload pair be written to every subscriber's socket.
 */
export function encodeFrameHeader(length: number, opcode: number): Buffer {
  if (length < 126) {
    const header = Buffer.allocUnsafe(2);
    header[0] = 0x80 | opcode;
    header[1] = length;
    return header;
  }
  if (length < 0x10000) {
    const header = Buffer.allocUnsafe(4);
    header[0] = 0x80 | opcode;
    header[1] = 126;
    header.writeUInt16BE(length, 2);
    return header;
  }
  const header = Buffer.allocUnsafe(10);
  header[0] = 0x80 | opcode;
  header[1] = 127;
  header.writeUInt32BE(Math.floor(length / 0x100000000), 2);
  header.writeUInt32BE(length >>> 0, 6);
  return header;
}
