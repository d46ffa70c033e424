import { Writable } from 'node:stream';
import { eventually } from '@oxidite/test-utils';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { AuthHook, Logger } from '../../src/index';
import { useTestResources } from '../support/clients';
import { RawClient } from '../support/raw-client';
import { startTestServer } from '../support/test-server';

const t = useTestResources();
const auth: AuthHook = ({ token }) => (token === 'bad' ? null : token ? { id: token } : null);
const as = (user: string) => ({ headers: { authorization: `Bearer ${user}` } });

/** A real pino logger writing JSON lines into an array. */
function pinoLines(): { logger: ReturnType<typeof pino>; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, sink), lines };
}

const levels: Record<number, string> = { 20: 'debug', 30: 'info', 40: 'warn', 50: 'error' };

describe('structured logging', () => {
  it('calls a pino logger fields-first, one line per lifecycle event with its level and fields', async () => {
    const { logger, lines } = pinoLines();
    const server = t.track(await startTestServer({ auth, logger }));
    server.rt.rpc('boom', () => {
      throw new Error('kaput');
    });
    const client = await t.connect(server.url, as('42'));
    await client.subscribe('room:1');
    client.send({ type: 'rpc', id: client.id(), method: 'boom', data: null });
    await client.next('error');
    server.rt.disconnect('42');
    await client.closed;
    const refused = t.adopt(new RawClient(`${server.url}?access_token=bad`));
    await refused.closed;
    const find = (event: string) => lines.find((line) => line.event === event);
    await eventually(async () => expect(find('connection.refused')).toBeDefined(), 'the refusal line');
    await eventually(async () => expect(find('connection.close')).toBeDefined(), 'the close line');

    expect(find('server.listening')).toMatchObject({ level: 30, msg: 'listening', port: server.port });
    expect(find('connection.open')).toMatchObject({
      level: 20,
      msg: 'connection opened',
      transport: 'websocket',
      userId: '42',
      address: '127.0.0.1',
    });
    expect(find('subscribe')).toMatchObject({ level: 20, topic: 'room:1', replayed: 0 });
    expect(find('internal_error')).toMatchObject({ level: 50, where: 'rpc boom', err: { message: 'kaput' } });
    // 4403 is the server acting on purpose: info, not a warning.
    expect(find('connection.close')).toMatchObject({ level: 30, userId: '42', code: 4403 });
    expect(find('connection.refused')).toMatchObject({ level: 30, status: 401, closeCode: 4401, path: '/ws' });
    for (const line of lines) expect(levels[line.level as number]).toBeDefined();
    // The query held the token: it never reaches a log line.
    expect(JSON.stringify(lines)).not.toContain('access_token');
  });

  it('still calls a 0.1 message-first logger message-first, with the event in the fields', async () => {
    const calls: [level: string, message: string, fields: unknown][] = [];
    const record =
      (level: string) =>
      (message: string, fields?: Record<string, unknown>): void => {
        calls.push([level, message, fields]);
      };
    const logger: Logger = {
      debug: record('debug'),
      info: record('info'),
      warn: record('warn'),
      error: record('error'),
    };
    const server = t.track(await startTestServer({ logger }));
    const client = await t.connect(server.url);
    await client.close();
    await eventually(
      async () =>
        expect(calls).toContainEqual([
          'debug',
          'realtime: connection closed',
          expect.objectContaining({ event: 'connection.close', code: 1005 }),
        ]),
      'the close line',
    );
    expect(calls[0]).toEqual(['info', 'realtime: listening', expect.objectContaining({ event: 'server.listening' })]);
  });

  it('survives a logger that throws', async () => {
    const throwing = () => {
      throw new Error('disk full');
    };
    const logger: Logger = { debug: throwing, info: throwing, warn: throwing, error: throwing };
    const server = t.track(await startTestServer({ logger }));
    const client = await t.connect(server.url);
    await client.subscribe('chat');
    expect(await client.publish('chat', { text: 'still here' })).toMatchObject({ type: 'ack' });
  });
});
