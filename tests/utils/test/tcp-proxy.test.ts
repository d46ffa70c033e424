import { type Server, type Socket, connect, createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type TcpProxy, createTcpProxy, once, withDeadline } from '../src/index';

/** Collects what a socket receives. */
function reader(socket: Socket) {
  let received = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    received += chunk;
  });
  return {
    get text() {
      return received;
    },
    /** Waits until `text` has arrived (polling), or fails after `ms`. */
    async waitFor(text: string, ms = 2000) {
      const until = Date.now() + ms;
      while (!received.includes(text)) {
        if (Date.now() > until)
          throw new Error(`did not receive ${JSON.stringify(text)}; got ${JSON.stringify(received)}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
  };
}

async function open(port: number): Promise<Socket> {
  const socket = connect({ port, host: '127.0.0.1' });
  await once(socket, 'connect', 2000);
  return socket;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves when the socket has closed, whatever the reason (`once` would reject on its 'error'). */
const closed = (socket: Socket) =>
  withDeadline(new Promise((r) => socket.once('close', r)), 2000, 'the socket to close');

describe('createTcpProxy', () => {
  let echo: Server;
  let echoPort: number;
  let proxy: TcpProxy;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    echo = createServer((s) => {
      s.on('error', () => {});
      s.pipe(s);
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    echoPort = (echo.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => echo.close(resolve));
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.destroy();
    await proxy?.close();
  });

  async function client() {
    const socket = await open(proxy.port);
    socket.on('error', () => {});
    sockets.push(socket);
    return Object.assign(reader(socket), { socket });
  }

  it('forwards both ways and counts connections', async () => {
    proxy = await createTcpProxy(echoPort);
    const a = await client();
    a.socket.write('hello');
    await a.waitFor('hello');
    expect(proxy.connections).toBe(1);
    a.socket.end();
    await closed(a.socket);
    await withDeadline(
      (async () => {
        while (proxy.connections !== 0) await sleep(10);
      })(),
      2000,
      'the proxy to forget the connection',
    );
  });

  it('cut() closes current connections on both sides; new ones still work', async () => {
    proxy = await createTcpProxy(echoPort);
    const a = await client();
    a.socket.write('x');
    await a.waitFor('x');
    const gone = closed(a.socket);
    proxy.cut();
    expect(proxy.connections).toBe(0);
    await gone;
    const b = await client();
    b.socket.write('again');
    await b.waitFor('again');
  });

  it('stall() drops data in both directions but keeps the socket open; restore() resumes it', async () => {
    proxy = await createTcpProxy(echoPort);
    const a = await client();
    a.socket.write('before ');
    await a.waitFor('before ');
    proxy.stall();
    a.socket.write('lost ');
    await sleep(150);
    expect(a.text).toBe('before ');
    expect(a.socket.destroyed).toBe(false);
    expect(proxy.connections).toBe(1);

    // A connection made while stalled is accepted but reaches nothing.
    const b = await client();
    b.socket.write('queued? ');
    await sleep(100);
    expect(b.text).toBe('');

    proxy.restore();
    a.socket.write('after');
    await a.waitFor('after');
    expect(a.text).toBe('before after');
    b.socket.write('now');
    await b.waitFor('now');
    expect(b.text).toBe('now');
  });

  it('refuse(true) resets new connections until refuse(false)', async () => {
    proxy = await createTcpProxy(echoPort);
    proxy.refuse(true);
    const socket = connect({ port: proxy.port, host: '127.0.0.1' });
    socket.on('error', () => {});
    sockets.push(socket);
    await closed(socket);
    expect(proxy.connections).toBe(0);
    proxy.refuse(false);
    const a = await client();
    a.socket.write('ok');
    await a.waitFor('ok');
  });

  it('closes the client when the target is down', async () => {
    const down = createServer();
    await new Promise<void>((resolve) => down.listen(0, '127.0.0.1', resolve));
    const downPort = (down.address() as { port: number }).port;
    await new Promise((resolve) => down.close(resolve));
    proxy = await createTcpProxy(downPort);
    const socket = connect({ port: proxy.port, host: '127.0.0.1' });
    socket.on('error', () => {});
    sockets.push(socket);
    await closed(socket);
  });
});
