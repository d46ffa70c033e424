import type { AddressInfo } from 'node:net';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { InboundBudget } from '../../src/transport/inbound-budget';
import { useTestResources } from '../support/clients';
import { FrameReader, rawUpgrade } from '../support/raw-socket';
import { startTestServer } from '../support/test-server';
import { eventually } from '@oxidite/test-utils';

const t = useTestResources();
const sockets: import('node:net').Socket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.destroy();
});

/** The engine's collector, so that RSS is measured on what is held rather than on garbage not yet swept. */
const gc: () => void = (() => {
  v8.setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

/** Collects garbage until external memory stops shrinking: buffers are released by finalizers after a collection. */
async function settle(): Promise<void> {
  let last = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 10; round++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
    const now = process.memoryUsage().arrayBuffers;
    if (now >= last) return;
    last = now;
  }
}

/** V8's own answer to "is this object still in fast mode (not a hash table of properties)?" */
const hasFastProperties: (value: unknown) => boolean = (() => {
  v8.setFlagsFromString('--allow-natives-syntax');
  return new Function('value', 'return %HasFastProperties(value)') as (value: unknown) => boolean;
})();

const KiB = 1024;
const MiB = 1024 * KiB;
const TEXT = 0x1;
const BINARY = 0x2;
const CONTINUATION = 0x0;
const PING = 0x9;

/** A client frame with an all-zero mask (legal, and the payload needs no masking pass): built once, sent many times. */
function frame(opcode: number, length: number, fin: boolean): Buffer {
  const extended = length < 126 ? 0 : length < 65_536 ? 2 : 8;
  const header = Buffer.alloc(2 + extended + 4);
  header[0] = (fin ? 0x80 : 0) | opcode;
  header[1] = 0x80 | (extended === 0 ? length : extended === 2 ? 126 : 127);
  if (extended === 2) header.writeUInt16BE(length, 2);
  if (extended === 8) header.writeBigUInt64BE(BigInt(length), 2);
  return Buffer.concat([header, Buffer.alloc(length, 0x61)]);
}

const PING_FRAME = frame(PING, 0, true);

/**
 * Opens a raw connection and sends `frames` then a ping. Resolves with `pong` once the server has
 * read everything (TCP is in order, and `ws` answers pings between fragments), or with the close
 * code if the server closed the connection instead.
 */
async function send(port: number, frames: Buffer[], localAddress?: string): Promise<'pong' | number> {
  const { socket, rest } = await rawUpgrade(port, localAddress ? { localAddress } : {});
  sockets.push(socket);
  const reader = new FrameReader();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no pong and no close within 20 s')), 20_000);
    const onFrames = (chunk: Buffer) => {
      for (const f of reader.push(chunk)) {
        if (f.opcode === 0xa || f.opcode === 0x8) {
          clearTimeout(timer);
          socket.off('data', onFrames);
          resolve(f.opcode === 0xa ? 'pong' : f.payload.readUInt16BE(0));
          return;
        }
      }
    };
    socket.on('data', onFrames);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(1006);
    });
    if (rest.length) onFrames(rest);
    // Written one by one: the frames are shared by every connection, never copied.
    for (const f of frames) socket.write(f);
    socket.write(PING_FRAME);
  });
}

describe('what a message may hold while it arrives (#14.4)', () => {
  it('a text message sent in fragments is held to the 64 KiB text limit, not the 1 MiB binary one', async () => {
    const server = t.track(await startTestServer());
    const outcome = await send(server.port, [frame(TEXT, 60 * KiB, false), frame(CONTINUATION, 60 * KiB, false)]);
    expect(outcome).toBe(1009);
  });

  it('a binary message may still arrive in fragments up to the binary limit', async () => {
    const server = t.track(await startTestServer());
    expect(await send(server.port, [frame(BINARY, 512 * KiB, false), frame(CONTINUATION, 400 * KiB, false)])).toBe(
      'pong',
    );
    expect(await send(server.port, [frame(BINARY, 512 * KiB, false), frame(CONTINUATION, 600 * KiB, false)])).toBe(
      1009,
    );
  });

  it('the server-wide budget closes the connection that would pass it; a completed message frees its share', async () => {
    const server = t.track(await startTestServer({ maxInboundBytes: MiB }));
    const unfinished = frame(BINARY, 300 * KiB, false);
    expect(await send(server.port, [unfinished])).toBe('pong');
    expect(await send(server.port, [unfinished])).toBe('pong');
    expect(await send(server.port, [unfinished])).toBe('pong');
    expect(await send(server.port, [unfinished])).toBe(1009); // 1.2 MiB would be held
    // One of the holders finishes its message: its 300 KiB return to the budget.
    const finisher = sockets[0];
    finisher?.write(frame(CONTINUATION, 1, true));
    await new Promise<void>((resolve) => finisher?.once('data', () => resolve()));
    expect(await send(server.port, [unfinished])).toBe('pong');
  });

  it('1,000 connections holding unfinished messages: the buffers held grow by less than the budget plus 8 MiB', async () => {
    const server = t.track(
      await startTestServer({
        maxConnections: 2_000,
        security: { rateLimits: { connectionsPerAddress: false }, maxConnectionsPerAddress: 2_000 },
      }),
    );
    const unfinished = [frame(BINARY, 128 * KiB, false), frame(CONTINUATION, 128 * KiB, false)];
    await settle();
    const before = process.memoryUsage();
    const outcomes: ('pong' | number)[] = [];
    for (let batch = 0; batch < 10; batch++) {
      const from = sockets.length;
      // Ten source addresses: one address may hold only an eighth of the budget.
      const address = `127.0.0.${batch + 1}`;
      const answers = await Promise.all(Array.from({ length: 100 }, () => send(server.port, unfinished, address)));
      outcomes.push(...answers);
      // A refused client hangs up, as a real one does after a close frame: until it does, the
      // kernel and both ends still hold what it sent, which is not what the budget bounds.
      answers.forEach((answer, i) => {
        if (answer !== 'pong') sockets[from + i]?.destroy();
      });
    }
    const held = outcomes.filter((o) => o === 'pong').length;
    // 64 MiB (the default budget) / 256 KiB per message: 256 are held, the rest are closed with 1009.
    expect(held).toBe(256);
    expect(outcomes.filter((o) => o === 1009)).toHaveLength(1_000 - held);
    await eventually(async () => expect(server.rt.stats().connections.websocket).toBe(held), 'the refused ones gone');
    await settle();
    const after = process.memoryUsage();
    // Without the budget the 1,000 messages held 256 MiB of buffers, all in `arrayBuffers`. Not
    // RSS: both ends of 1,000 sockets live in this process, and RSS keeps the peak of everything
    // in flight during the sends (the allocator does not hand it back), which a loaded machine
    // pushed past any fixed margin.
    const buffers = after.arrayBuffers - before.arrayBuffers;
    expect(buffers).toBeLessThan(64 * MiB + 8 * MiB); // measured 64.5 MiB, run after run
  });
});

describe('the budget under a slow-drip attack (outside run 3)', () => {
  /** A binary frame that announces `length` bytes and brings only the first one. */
  const announce = (length: number): Buffer => {
    const whole = frame(BINARY, 0, false);
    const header = Buffer.from(whole.subarray(0, 2));
    header[1] = 0x80 | 127;
    const extended = Buffer.alloc(8);
    extended.writeBigUInt64BE(BigInt(length));
    return Buffer.concat([header, extended, Buffer.alloc(4), Buffer.from('a')]);
  };

  it('one address cannot reserve the whole budget, and small messages of others always get through', async () => {
    const server = t.track(await startTestServer({ security: { rateLimits: { connectionsPerAddress: false } } }));
    // 70 connections from one address each announce a 1 MiB message and send one byte of it.
    const closes: number[] = [];
    for (let i = 0; i < 70; i++) {
      const { socket } = await rawUpgrade(server.port);
      sockets.push(socket);
      const reader = new FrameReader();
      socket.on('data', (chunk: Buffer) => {
        for (const f of reader.push(chunk)) if (f.opcode === 0x8) closes.push(f.payload.readUInt16BE(0));
      });
      socket.write(announce(MiB));
    }
    // An eighth of the 64 MiB budget: 8 held, the other 62 refused as they announce.
    await eventually(async () => expect(closes).toHaveLength(62), 'the announcements past the address share refused');
    expect(new Set(closes)).toEqual(new Set([1009]));

    // The same address still sends small messages; another address sends a 600 KiB one.
    expect(await send(server.port, [frame(TEXT, 100, true)])).toBe('pong');
    expect(await send(server.port, [frame(BINARY, 600 * KiB, false)], '127.0.0.2')).toBe('pong');
    // What is left of the budget is the other addresses': their large messages still fit.
    const others = await Promise.all(
      [3, 4, 5, 6].map((n) => send(server.port, [frame(BINARY, 900 * KiB, false)], `127.0.0.${n}`)),
    );
    expect(others).toEqual(['pong', 'pong', 'pong', 'pong']);
  });
});

describe('ws internals the budget relies on', () => {
  it('`ws` still exposes the receiver fields InboundBudget reads (fails loudly on a ws upgrade that changes them)', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((resolve) => wss.once('listening', resolve));
    try {
      const accepted = new Promise<WebSocket>((resolve) => wss.once('connection', resolve));
      const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
      const ws = await accepted;
      ws.on('error', () => {}); // the 1009 below is reported there too
      const budget = new InboundBudget({ text: 10, binary: 100, total: 1_000 });
      expect(budget.attach(ws, '127.0.0.1')).toBe(true);
      // An accessor on the instance once turned every receiver into a dictionary-mode object:
      // +1.4 KiB of heap per idle connection and slower frame parsing (bench: echo 12.7 → 11.5 µs).
      expect(hasFastProperties(Reflect.get(ws, '_receiver'))).toBe(true);
      const closed = new Promise<number>((resolve) => client.once('close', (code) => resolve(code)));
      await new Promise((resolve) => client.once('open', resolve));
      client.send('x'.repeat(11));
      expect(await closed).toBe(1009);
    } finally {
      await new Promise((resolve) => wss.close(resolve));
    }
  });
});
