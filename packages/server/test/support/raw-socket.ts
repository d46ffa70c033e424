import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/**
 * WebSocket framing written by hand over a plain TCP socket (RFC 6455 §5.2), for tests that need
 * what a well-behaved client library cannot send: several frames in one TCP write, bad opcodes,
 * unmasked frames, reserved bits, broken fragmentation.
 */

/** One frame to encode; every field beyond `opcode` and `payload` defaults to a well-formed frame. */
export interface RawFrame {
  readonly opcode: number;
  readonly payload: Uint8Array;
  /** @default true */
  readonly fin?: boolean;
  /** Client frames must be masked; false sends an illegal unmasked one. @default true */
  readonly mask?: boolean;
  /** RSV1–3 bits (0–7); non-zero is illegal without an extension. @default 0 */
  readonly rsv?: number;
}

/** Encodes one frame. */
export function encodeFrame(frame: RawFrame): Buffer {
  const { opcode, payload } = frame;
  const masked = frame.mask ?? true;
  const length = payload.length;
  const extended = length < 126 ? 0 : length < 65_536 ? 2 : 8;
  const header = Buffer.alloc(2 + extended + (masked ? 4 : 0));
  header[0] = ((frame.fin ?? true) ? 0x80 : 0) | (((frame.rsv ?? 0) & 7) << 4) | (opcode & 0x0f);
  header[1] = (masked ? 0x80 : 0) | (extended === 0 ? length : extended === 2 ? 126 : 127);
  if (extended === 2) header.writeUInt16BE(length, 2);
  if (extended === 8) header.writeBigUInt64BE(BigInt(length), 2);
  const body = Buffer.from(payload);
  if (masked) {
    const key = randomBytes(4);
    key.copy(header, 2 + extended);
    for (let i = 0; i < body.length; i++) body[i] = (body[i] as number) ^ (key[i & 3] as number);
  }
  return Buffer.concat([header, body]);
}

/** A frame the server sent. */
export interface ServerFrame {
  readonly opcode: number;
  readonly fin: boolean;
  readonly payload: Buffer;
}

/** Splits the server's byte stream into frames (server frames are never masked). */
export class FrameReader {
  #buffer: Buffer = Buffer.alloc(0);
  /** Set when the stream is not valid framing (a server bug): the oracle reports it. */
  error: string | undefined;

  push(chunk: Buffer): ServerFrame[] {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const frames: ServerFrame[] = [];
    for (;;) {
      const b = this.#buffer;
      if (b.length < 2) break;
      if ((b[1] as number) & 0x80) {
        this.error = 'server frame is masked';
        break;
      }
      let length = (b[1] as number) & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (b.length < 4) break;
        length = b.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (b.length < 10) break;
        length = Number(b.readBigUInt64BE(2));
        offset = 10;
      }
      if (b.length < offset + length) break;
      frames.push({
        opcode: (b[0] as number) & 0x0f,
        fin: ((b[0] as number) & 0x80) !== 0,
        payload: b.subarray(offset, offset + length),
      });
      this.#buffer = b.subarray(offset + length);
    }
    return frames;
  }
}

/** A raw TCP connection that completed (or was refused) an upgrade. */
export interface RawUpgrade {
  readonly socket: Socket;
  /** The HTTP status line and headers of the answer. */
  readonly head: string;
  /** Bytes received after the headers (the first frames). */
  readonly rest: Buffer;
}

/**
 * Sends an upgrade request on a new TCP connection to 127.0.0.1 and resolves with the answer's
 * head. `request` overrides the request line and headers entirely when given.
 */
export function rawUpgrade(
  port: number,
  options: {
    path?: string;
    protocols?: string;
    headers?: Record<string, string>;
    request?: string;
    timeout?: number;
    /** The loopback source address (127.0.0.x), to play several clients. @default '127.0.0.1' */
    localAddress?: string;
  } = {},
): Promise<RawUpgrade> {
  const request =
    options.request ??
    [
      `GET ${options.path ?? '/ws'} HTTP/1.1`,
      `Host: 127.0.0.1:${port}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
      'Sec-WebSocket-Version: 13',
      `Sec-WebSocket-Protocol: ${options.protocols ?? 'oxidite.v1'}`,
      ...Object.entries(options.headers ?? {}).map(([name, value]) => `${name}: ${value}`),
      '',
      '',
    ].join('\r\n');
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1', localAddress: options.localAddress ?? '127.0.0.1' });
    let received: Buffer = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer to the upgrade request within ${options.timeout ?? 5_000} ms`));
    }, options.timeout ?? 5_000);
    const onData = (chunk: Buffer): void => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('end', onEnd);
      resolve({ socket, head: received.subarray(0, end).toString('latin1'), rest: received.subarray(end + 4) });
    };
    const onEnd = (): void => {
      clearTimeout(timer);
      reject(new Error(`connection closed without an answer: ${JSON.stringify(received.toString('latin1'))}`));
    };
    socket.on('data', onData);
    socket.once('end', onEnd);
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.write(request);
  });
}

/** Resolves when the socket has been closed by the peer (or destroyed), within `ms`. */
export function whenClosed(socket: Socket, ms = 5_000): Promise<void> {
  if (socket.destroyed || socket.readableEnded) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`socket still open after ${ms} ms`)), ms);
    socket.resume();
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
