import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { KEYS, startTestHub } from './support/test-hub';

/** What a raw client saw: every byte of the answer, and whether the connection was reset. */
interface Seen {
  readonly text: string;
  readonly error: string | undefined;
}

/** Writes `head`, then `body` in 1 KB writes without waiting for the answer, and collects until close. */
function upload(port: number, head: string, body: string, options: { endless?: boolean } = {}): Promise<Seen> {
  return new Promise((resolve) => {
    const socket: Socket = connect(port, '127.0.0.1');
    let text = '';
    let error: string | undefined;
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      error = e.code ?? e.message;
    });
    socket.on('close', () => resolve({ text, error }));
    socket.on('connect', () => {
      socket.write(head);
      for (let at = 0; at < body.length; at += 1024) socket.write(body.slice(at, at + 1024));
      if (!options.endless) socket.end();
    });
  });
}

const headers = (more: string) =>
  `POST /api/publish HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${KEYS.publish}\r\n` +
  `Content-Type: application/json\r\n${more}\r\n`;

/** `size` bytes of a publish body in HTTP/1.1 chunked encoding (1 KB chunks), with its last chunk. */
function chunked(size: number): string {
  const json = `{"topic":"news","data":"${'x'.repeat(size - 26)}"}`;
  let out = '';
  for (let at = 0; at < json.length; at += 1024) {
    const part = json.slice(at, at + 1024);
    out += `${part.length.toString(16)}\r\n${part}\r\n`;
  }
  return `${out}0\r\n\r\n`;
}

function expect413(seen: Seen): void {
  expect(seen.error).toBeUndefined();
  expect(seen.text).toMatch(/^HTTP\/1\.1 413 /);
  expect(seen.text).toMatch(/\r\nconnection: close\r\n/i);
  const body = seen.text.slice(seen.text.indexOf('\r\n\r\n') + 4);
  expect(JSON.parse(body)).toEqual({ error: { code: 'too_large', message: 'request body larger than 4096 bytes' } });
}

describe('a body over maxBodyBytes gets a whole 413, not a reset connection', () => {
  it('a 70 KB and an 8 MB chunked body', async () => {
    await using t = await startTestHub(); // maxBodyBytes: 4096
    expect413(await upload(t.hub.address.port, headers('Transfer-Encoding: chunked\r\n'), chunked(70_000)));
    expect413(await upload(t.hub.address.port, headers('Transfer-Encoding: chunked\r\n'), chunked(8_000_000)));
  });

  it('an 8 MB body announced by Content-Length', async () => {
    await using t = await startTestHub();
    const body = `{"topic":"news","data":"${'x'.repeat(8_000_000)}"}`;
    expect413(await upload(t.hub.address.port, headers(`Content-Length: ${body.length}\r\n`), body));
  });

  it('a body that never ends: the 413 arrives, then the hub closes the connection', async () => {
    await using t = await startTestHub();
    const partial = chunked(70_000).slice(0, 20_000);
    const seen = await upload(t.hub.address.port, headers('Transfer-Encoding: chunked\r\n'), partial, {
      endless: true,
    });
    expect(seen.text).toMatch(/^HTTP\/1\.1 413 /);
    expect(seen.text).toContain('"code":"too_large"');
  });
});
