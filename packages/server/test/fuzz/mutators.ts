import { encodeBinaryFrame } from '@oxidite/protocol';
import type { RawFrame } from '../support/raw-socket';
import type { Random } from './random';

/**
 * What the fuzzer sends over a connection that completed its handshake: envelopes built from valid
 * templates and then mutated, corrupted binary frames, random bytes, and WebSocket-level abuse.
 */

const TEXT = 1;
const BINARY = 2;

/** Topic names: declared, unique (churn), and invalid ones that must never be echoed. */
export function fuzzTopic(random: Random): string {
  switch (random.int(0, 5)) {
    case 0:
      return random.pick(['chat', 'honest', 'files', 'user:guest', 'user:bob', 'nohist:1', 'room:1']);
    case 1:
      return `room:${random.string(random.int(1, 12), 'abcdefghijklmnopqrstuvwxyz0123456789')}`;
    case 2:
      return `nohist:${random.int(0, 1_000_000)}`;
    case 3:
      return random.pick(['', ' ', 'has space', 'chat\nevent: close', 'ümlaut', '{id}', 'x'.repeat(300), 'room:']);
    default:
      return random.string(random.int(1, 40), 'abc:/@=+~-_.{} \n\t"\\é\u0000');
  }
}

/** A random JSON value, sometimes hostile (deep, long, prototype keys, odd numbers). */
function junkValue(random: Random, depth = 0): unknown {
  switch (random.int(0, depth > 3 ? 5 : 8)) {
    case 0:
      return null;
    case 1:
      return random.pick([0, -1, 1.5, 2 ** 53, -(2 ** 60), 1e308, 42]);
    case 2:
      return random.string(random.int(0, 30), 'ab"\\\n\u2028é<>{}');
    case 3:
      return random.chance(0.5);
    case 4:
      return 'x'.repeat(random.pick([300, 1_100, 9_000]));
    case 5:
      return { n: random.int(-5, 5) };
    case 6:
      return [junkValue(random, depth + 1), junkValue(random, depth + 1)];
    case 7:
      return JSON.parse(`{"__proto__":{"polluted":1},"constructor":{"prototype":{"x":1}},"text":"p"}`);
    default:
      return { text: junkValue(random, depth + 1), n: junkValue(random, depth + 1) };
  }
}

/** A valid-looking envelope of a random type. */
function template(random: Random): Record<string, unknown> {
  const id = random.int(0, 1_000);
  switch (random.int(0, 6)) {
    case 0:
      return {
        type: 'subscribe',
        id,
        topic: fuzzTopic(random),
        ...(random.chance(0.3) ? { rewind: random.int(0, 200) } : {}),
      };
    case 1:
      return {
        type: 'subscribe',
        id,
        topic: fuzzTopic(random),
        since: random.pick(['abc:1', 'zz:0', 'k3x9:99999', 'bad']),
      };
    case 2:
      return { type: 'unsubscribe', id, topic: fuzzTopic(random) };
    case 3:
      return {
        type: 'publish',
        ...(random.chance(0.7) ? { id } : {}),
        topic: fuzzTopic(random),
        data: random.chance(0.5) ? { text: 'hi', n: 1 } : junkValue(random),
      };
    case 4:
      return {
        type: 'rpc',
        id,
        method: random.pick(['echo', 'fail', 'nope', 'a b', 'x'.repeat(200)]),
        data: junkValue(random),
      };
    case 5:
      return { type: 'auth', id, token: random.pick(['t', '', 'x'.repeat(9_000)]) };
    default:
      return { type: 'ping' };
  }
}

/** A mutated envelope as text. */
function mutatedText(random: Random): string {
  const envelope = template(random);
  for (let i = random.int(0, 3); i > 0; i--) {
    const keys = Object.keys(envelope);
    const op = random.int(0, 3);
    if (op === 0) envelope[random.pick(keys)] = junkValue(random);
    else if (op === 1) delete envelope[random.pick(keys)];
    else if (op === 2) envelope[random.pick(['extra', '__proto__', 'type', 'id', 'topic'])] = junkValue(random);
    else envelope.type = random.pick(['subscribe', 'publish', 'teleport', 'welcome', 'message', '', 'PING']);
  }
  let text = JSON.stringify(envelope);
  if (random.chance(0.1)) text = text.slice(0, random.int(0, text.length)); // truncated
  if (random.chance(0.05)) text = `${'['.repeat(200)}${text}`; // too deep
  return text;
}

/** A binary publish with a corrupted prefix or header (or, sometimes, a valid one). */
function binaryFrame(random: Random): Buffer {
  const frame = Buffer.from(
    encodeBinaryFrame(
      { type: 'publish', id: random.int(0, 99), topic: random.pick(['files', 'chat', 'room:1']) },
      random.bytes(random.int(0, 64)),
    ),
  );
  switch (random.int(0, 5)) {
    case 0:
      frame[0] = random.int(0, 255); // version
      break;
    case 1:
      frame.writeUInt16BE(random.int(0, 65_535), 1); // header length
      break;
    case 2:
      frame[random.int(3, Math.min(frame.length - 1, 20))] = random.int(0, 255); // header bytes
      break;
    case 3:
      return Buffer.concat([Buffer.from([1, 0, 22]), Buffer.from('{"type":"subscribe","id":1}')]);
    default:
      break; // a valid one: it must be acked or refused with a typed error
  }
  return frame;
}

/** One well-framed frame of a fuzz session. */
export function fuzzFrame(random: Random): RawFrame {
  const kind = random.weighted({ mutated: 70, binary: 15, randomText: 2, randomBinary: 8, ping: 5 });
  if (kind === 'mutated') return { opcode: TEXT, payload: Buffer.from(mutatedText(random)) };
  if (kind === 'binary') return { opcode: BINARY, payload: binaryFrame(random) };
  if (kind === 'randomText') return { opcode: TEXT, payload: random.bytes(random.int(0, 200)) };
  if (kind === 'randomBinary') return { opcode: BINARY, payload: random.bytes(random.int(0, 2_000)) };
  return { opcode: 9, payload: random.bytes(random.int(0, 125)) }; // WebSocket ping
}

/** WebSocket-level abuse that ends a session: the server must close with a protocol code, or cut it. */
export function abuseFrames(random: Random): RawFrame[] {
  const text = Buffer.from('{"type":"ping"}');
  switch (random.int(0, 10)) {
    case 0:
      return [{ opcode: random.pick([3, 4, 5, 6, 7, 11, 12, 13, 14, 15]), payload: text }]; // reserved opcode
    case 1:
      return [{ opcode: TEXT, payload: text, mask: false }]; // unmasked client frame
    case 2:
      return [{ opcode: TEXT, payload: text, rsv: random.int(1, 7) }]; // reserved bits
    case 3:
      return [{ opcode: 9, payload: random.bytes(200) }]; // control frame over 125 bytes
    case 4:
      return [{ opcode: 9, payload: text, fin: false }]; // fragmented control frame
    case 5:
      return [{ opcode: 0, payload: text }]; // continuation without a start
    case 6:
      return [
        { opcode: TEXT, payload: text.subarray(0, 5), fin: false },
        { opcode: BINARY, payload: text },
      ]; // interleaved
    case 7:
      return [{ opcode: 8, payload: Buffer.from([random.pick([0x03, 0x13, 0x00]), random.int(0, 255)]) }]; // close, odd code
    case 8:
      return [{ opcode: 8, payload: Buffer.from([0x03, 0xe8, 0xff, 0xfe]) }]; // close reason not UTF-8
    case 9: {
      // A message split into many continuation frames, valid or over the limit.
      const parts = random.int(2, 6);
      const frames: RawFrame[] = [];
      for (let i = 0; i < parts; i++) {
        frames.push({
          opcode: i === 0 ? TEXT : 0,
          payload: Buffer.from(i === 0 ? '{"type":' : i === parts - 1 ? '"ping"}' : ' '),
          fin: i === parts - 1,
        });
      }
      return frames;
    }
    default:
      return [{ opcode: TEXT, payload: Buffer.from([0xc3, 0x28, 0xa0, 0xa1]) }]; // invalid UTF-8 text
  }
}
