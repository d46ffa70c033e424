import { connect } from 'node:net';
import { encodeFrame, FrameReader, rawUpgrade } from '../support/raw-socket';
import { openRawSse } from '../support/sse-oracle';
import { abuseFrames, fuzzFrame, fuzzTopic } from './mutators';
import type { Oracle } from './oracle';
import type { Random } from './random';

/** What a session needs: the server's port, the oracle, and how long an answer may take. */
export interface SessionContext {
  readonly port: number;
  readonly oracle: Oracle;
  /** Longest wait for any answer, in ms (generous: the machine is shared and loaded). */
  readonly answerTimeout: number;
}

/** Waits for a condition re-checked on every `notify()`, with a deadline; false when it passed. */
class Signal {
  #listeners: (() => void)[] = [];
  notify(): void {
    for (const listener of [...this.#listeners]) listener();
  }
  until(predicate: () => boolean, ms: number): Promise<boolean> {
    if (predicate()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (value: boolean): void => {
        clearTimeout(timer);
        this.#listeners = this.#listeners.filter((l) => l !== check);
        resolve(value);
      };
      const check = (): void => {
        if (predicate()) done(true);
      };
      const timer = setTimeout(() => done(false), ms);
      this.#listeners.push(check);
    });
  }
}

const USER_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789-_.:é';

/**
 * A WebSocket session over raw TCP: 20–200 fuzzed frames in random batches (several per TCP
 * write), sometimes ending in protocol abuse; then a `ping` that must be answered (`pong`,
 * `rate_limited`, or a close). Returns the frames sent.
 */
export async function wsSession(ctx: SessionContext, random: Random): Promise<number> {
  const headers = random.chance(0.3)
    ? { 'x-user': random.string(random.pick([3, 40, 257, 300]), USER_ALPHABET) }
    : undefined;
  const upgrade = await rawUpgrade(ctx.port, { ...(headers ? { headers } : {}), timeout: ctx.answerTimeout }).catch(
    (error: Error) => error,
  );
  if (upgrade instanceof Error) {
    ctx.oracle.fail('upgrade unanswered', upgrade.message);
    return 1;
  }
  ctx.oracle.requestsAnswered++;
  const { socket } = upgrade;
  socket.on('error', () => {});
  if (!upgrade.head.startsWith('HTTP/1.1 101')) {
    socket.destroy();
    return 1;
  }
  const reader = new FrameReader();
  const signal = new Signal();
  let isClosed = false;
  let isAnswered = false;
  let pingSent = false;
  let sentCloseCode: number | undefined;
  const onData = (chunk: Buffer): void => {
    for (const frame of reader.push(chunk)) {
      const answer = ctx.oracle.checkFrame(frame, sentCloseCode);
      if (answer === 'close') isClosed = true;
      if (pingSent && (answer === 'pong' || answer === 'rate_limited')) isAnswered = true;
    }
    if (reader.error) ctx.oracle.fail('server framing', reader.error);
    signal.notify();
  };
  socket.on('data', onData);
  socket.once('close', () => {
    isClosed = true;
    signal.notify();
  });
  onData(upgrade.rest);
  let sent = 0;
  const count = random.int(20, 200);
  while (sent < count && !isClosed) {
    const batch: Buffer[] = [];
    for (let i = random.int(1, 20); i > 0 && sent < count; i--, sent++) batch.push(encodeFrame(fuzzFrame(random)));
    if (!socket.write(Buffer.concat(batch)))
      await signal.until(() => isClosed || socket.writableLength === 0, ctx.answerTimeout);
    else await new Promise((resolve) => setImmediate(resolve));
  }
  if (!isClosed && random.chance(0.15)) {
    const abuse = abuseFrames(random);
    const close = abuse.find((frame) => frame.opcode === 8 && frame.payload.length >= 2);
    if (close) sentCloseCode = Buffer.from(close.payload).readUInt16BE(0);
    socket.write(Buffer.concat(abuse.map(encodeFrame)));
    sent += abuse.length;
  }
  if (!isClosed) {
    pingSent = true;
    socket.write(encodeFrame({ opcode: 1, payload: Buffer.from('{"type":"ping"}') }));
    sent++;
    if (!(await signal.until(() => isClosed || isAnswered, ctx.answerTimeout))) {
      ctx.oracle.fail('ping unanswered', `after ${sent} frames`);
    }
  }
  if (!isClosed && random.chance(0.5)) {
    socket.write(encodeFrame({ opcode: 8, payload: Buffer.from([0x03, 0xe8]) }));
    if (!(await signal.until(() => isClosed, ctx.answerTimeout))) ctx.oracle.fail('close handshake unanswered', '');
  }
  socket.destroy();
  return sent;
}

/** A garbage SSE request: random topics, resume positions, headers and methods. */
export async function sseSession(ctx: SessionContext, random: Random): Promise<number> {
  const params: string[] = [];
  for (let i = random.int(0, 3); i > 0; i--) params.push(`topic=${encodeURIComponent(fuzzTopic(random))}`);
  if (random.chance(0.2)) params.push(`topics=${encodeURIComponent(`${fuzzTopic(random)},${fuzzTopic(random)}`)}`);
  if (random.chance(0.4)) {
    const injection = random.pick(['a,x\n\nevent: close\ndata: {"code":4403}\n', 'k3x9:1', 'zz:0,,', '\r\nretry: 1']);
    params.push(`lastEventId=${encodeURIComponent(random.chance(0.5) ? injection : random.string(20, 'ab:,\n0123'))}`);
  }
  const headers: Record<string, string> = {};
  if (random.chance(0.3)) headers['last-event-id'] = random.string(random.int(0, 40), 'abz:,09 \t-_evnt');
  if (random.chance(0.1))
    headers.origin = random.pick(['https://evil.example', 'null', `http://127.0.0.1:${ctx.port}`]);
  if (random.chance(0.2)) headers['x-user'] = random.string(random.pick([5, 300]), USER_ALPHABET);
  const method = random.weighted({ GET: 80, HEAD: 6, OPTIONS: 5, POST: 5, BREW: 4 });
  const url = `http://127.0.0.1:${ctx.port}/events?${params.join('&')}`;
  const sse = await openRawSse(url, { method, headers, ms: ctx.answerTimeout }).catch((error: Error) => error);
  if (sse instanceof Error) {
    ctx.oracle.fail('SSE request unanswered', `${method} ${url}: ${sse.message}`);
    return 1;
  }
  ctx.oracle.requestsAnswered++;
  if (sse.status === 200 && method === 'GET') {
    // Every named topic is answered with `subscribed` or `error`: the first one must come.
    const answered = await sse
      .until((text) => text.includes('\nevent: '), ctx.answerTimeout)
      .then(
        () => true,
        () => false,
      );
    if (!answered) ctx.oracle.fail('SSE stream never answered its topics', url);
    ctx.oracle.checkSse(sse.text);
  }
  sse.close();
  return 1;
}

/** A raw HTTP request with random method, path, version and headers, upgrade or not. */
export async function httpSession(ctx: SessionContext, random: Random): Promise<number> {
  const method = random.pick(['GET', 'GET', 'GET', 'POST', 'HEAD', 'OPTIONS', 'PUT', 'BREW', 'CONNECT', 'G\u0001T']);
  const path = random.pick([
    '/ws/',
    '/WS',
    '/',
    '/other',
    '/events',
    '/events?topic=chat',
    '/metrics',
    '/realtime/details',
    '*',
    '/ws',
    '/%00%ff',
    '//ws',
  ]);
  const version = random.pick(['HTTP/1.1', 'HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/1.1 x']);
  const lines = [`${method} ${path} ${version}`, `Host: 127.0.0.1:${ctx.port}`, 'Connection: close'];
  if (random.chance(0.6)) {
    lines.push('Upgrade: websocket', 'Connection: Upgrade', 'Sec-WebSocket-Version: 13');
    lines.push(`Sec-WebSocket-Key: ${random.chance(0.8) ? random.bytes(16).toString('base64') : 'junk'}`);
    if (random.chance(0.7)) lines.push('Sec-WebSocket-Protocol: oxidite.v1');
  }
  if (random.chance(0.2)) lines.push(`X-Junk: ${random.string(random.int(0, 60), 'abc \t:;\u00ff')}`);
  if (random.chance(0.1)) lines.push(random.string(random.int(1, 30), 'ab: \u0000\u007f'));
  const request = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  const answered = await new Promise<boolean>((resolve) => {
    const socket = connect(ctx.port, '127.0.0.1');
    let received = '';
    const finish = (value: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(value);
    };
    const timer = setTimeout(() => finish(false), ctx.answerTimeout);
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (/^HTTP\/1\.[01] \d{3} /.test(received)) finish(true);
    });
    socket.on('error', () => {});
    socket.on('close', () => finish(/^HTTP\/1\.[01] \d{3} /.test(received)));
    socket.write(request);
  });
  if (answered) ctx.oracle.requestsAnswered++;
  else ctx.oracle.fail('HTTP request unanswered', request.toString('latin1').slice(0, 200));
  return 1;
}
