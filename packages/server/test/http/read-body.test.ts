import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { readRequestBody, type RequestBody } from '../../src/index';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** A server whose handler reads the body with a 10-byte limit and reports what it got. */
async function start(): Promise<{ port: number; results: Promise<RequestBody>[] }> {
  const results: Promise<RequestBody>[] = [];
  const server = createServer((req, res) => {
    const read = readRequestBody(req, 10);
    results.push(read);
    void read.then((body) => res.writeHead(body.ok ? 200 : body.status).end(body.ok ? body.text : ''));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, results };
}

function post(port: number, chunks: string[], headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

describe('readRequestBody: the one bounded body reader (analytics, notifications, the hub)', () => {
  it('reads a body up to the limit, as UTF-8', async () => {
    const { port, results } = await start();
    expect(await post(port, ['héllo', '!!!'])).toBe(200);
    expect(await results[0]).toEqual({ ok: true, text: 'héllo!!!' });
  });

  it('refuses a declared Content-Length over the limit with 413, before reading', async () => {
    const { port, results } = await start();
    expect(await post(port, ['0123456789AB'], { 'content-length': '12' })).toBe(413);
    expect(await results[0]).toEqual({ ok: false, status: 413 });
  });

  it('refuses a streamed body once it passes the limit, and still answers', async () => {
    const { port, results } = await start();
    expect(await post(port, ['01234', '56789', 'A'])).toBe(413);
    expect(await results[0]).toEqual({ ok: false, status: 413 });
  });
});
