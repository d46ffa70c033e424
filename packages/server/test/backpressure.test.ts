import { createTcpProxy, eventually } from '@oxidite/test-utils';
import { describe, expect, it } from 'vitest';
import { RealtimeConfig } from '../src/index';
import { DEFAULT_RATE_LIMITS } from '../src/security/security-options';
import { useTestResources } from './support/clients';
import { startTestServer } from './support/test-server';

const t = useTestResources();
const OFF = { rateLimits: { messagesPerConnection: false, publishesPerUser: false } } as const;

describe('inbound backpressure (issue #15, item 5)', () => {
  it('acks 2,000 publishes of 72 bytes sent back to back with rate limits off: slowed, never refused', async () => {
    const server = t.track(await startTestServer({ security: OFF }));
    const client = await t.connect(server.url);
    const frames: string[] = [];
    for (let id = 1; id <= 2_000; id++) {
      // {"type":"publish","id":…,"topic":"chat","data":{"text":"…"}} padded to 72 bytes
      const head = JSON.stringify({ type: 'publish', id, topic: 'chat', data: { text: '' } });
      frames.push(JSON.stringify({ type: 'publish', id, topic: 'chat', data: { text: 'x'.repeat(72 - head.length) } }));
    }
    expect(frames.every((f) => f.length === 72)).toBe(true);
    for (const frame of frames) client.send(frame);
    await client.next('ack', (a) => a.id === 2_000, 20_000);
    const answers = client.received.filter((e) => e.type === 'ack' || e.type === 'error');
    expect(answers.filter((e) => e.type === 'error')).toEqual([]);
    expect(answers.length).toBe(2_000);
    expect(server.rt.stats().rateLimited).toBe(0);
  });

  it('announces the cap on requests in flight in welcome.limits, and takes it as an option', async () => {
    const server = t.track(await startTestServer({ maxInflight: 8, security: OFF }));
    const client = await t.connect(server.url);
    const welcome = client.received[0];
    expect(welcome).toMatchObject({ type: 'welcome', limits: { maxInflight: 8 } });
    for (let id = 1; id <= 500; id++) client.send({ type: 'publish', id, topic: 'chat', data: { text: `${id}` } });
    await client.next('ack', (a) => a.id === 500, 20_000);
    expect(client.received.filter((e) => e.type === 'error')).toEqual([]);
  });

  it('a client within the announced cap is never paused: its ping is answered while maxInflight RPCs run', async () => {
    const server = t.track(await startTestServer({ maxInflight: 4, security: OFF }));
    let release = (): void => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let running = 0;
    let allRunning = (): void => {};
    const fourRunning = new Promise<void>((resolve) => {
      allRunning = resolve;
    });
    server.rt.rpc('slow', async () => {
      if (++running === 4) allRunning();
      await gate;
      return 'done';
    });
    const client = await t.connect(server.url);
    for (let id = 1; id <= 4; id++) client.send({ type: 'rpc', id, method: 'slow', data: null });
    await fourRunning; // the ping comes in a later read, as a heartbeat does
    // Paused at the cap, the server would not read this ping: the client's heartbeat would then
    // declare a healthy connection dead (it did, at 40 s, with 256 slow RPCs in flight).
    client.send({ type: 'ping' });
    await client.next('pong');
    release();
    for (let id = 1; id <= 4; id++)
      expect(await client.next('reply', (r) => r.id === id)).toMatchObject({ data: 'done' });
  });

  it('a burst past the cap in one read runs at most maxInflight handlers at once; the rest wait, none refused (outside run 3)', async () => {
    const server = t.track(await startTestServer({ maxInflight: 10, security: OFF }));
    let release = (): void => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let running = 0;
    let most = 0;
    let tenRunning = (): void => {};
    const atCap = new Promise<void>((resolve) => {
      tenRunning = resolve;
    });
    server.rt.rpc('slow', async () => {
      most = Math.max(most, ++running);
      if (running === 10) tenRunning();
      await gate;
      running--;
      return 'done';
    });
    const client = await t.connect(server.url);
    // 190 requests in one write: one socket read, so pausing the socket alone could not hold them.
    const burst = Array.from({ length: 190 }, (_, i) =>
      JSON.stringify({ type: 'rpc', id: i + 1, method: 'slow', data: null }),
    );
    client.ws.send(burst[0] as string);
    for (const frame of burst.slice(1)) client.ws.send(frame);
    await atCap;
    client.send({ type: 'ping' }); // read only once the cap frees: it is answered after the held requests start
    release();
    for (let id = 1; id <= 190; id++) {
      expect(await client.next('reply', (r) => r.id === id)).toMatchObject({ data: 'done' });
    }
    await client.next('pong');
    expect(most).toBe(10);
    expect(client.received.filter((e) => e.type === 'error')).toEqual([]);
  });

  it('a client that vanished while paused past the cap is cut like a silent one; its held requests never start', async () => {
    const server = t.track(
      await startTestServer({ maxInflight: 2, security: OFF, heartbeatInterval: 50, connectionTimeout: 300 }),
    );
    let release = (): void => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const started: number[] = [];
    let twoRunning = (): void => {};
    const atCap = new Promise<void>((resolve) => {
      twoRunning = resolve;
    });
    server.rt.rpc('slow', async (input) => {
      started.push((input as { n: number }).n);
      if (started.length === 2) twoRunning();
      await gate;
      return 'done';
    });
    // Through a proxy that can go silent: a vanished client (a dropped route, a sleeping laptop)
    // sends no FIN or RST, and the server's pings are swallowed without an error.
    const proxy = await createTcpProxy(server.port);
    try {
      const client = await t.connect(`ws://127.0.0.1:${proxy.port}/ws`);
      for (let n = 1; n <= 3; n++) client.send({ type: 'rpc', id: n, method: 'slow', data: { n } });
      await atCap;
      proxy.stall();
      // Paused past the cap, the server reads nothing from this socket: only the sweep can find it silent.
      await eventually(
        async () => expect(server.rt.stats().connections.websocket).toBe(0),
        'the paused connection to be cut',
      );
    } finally {
      await proxy.close();
    }
    release();
    // Both running handlers finish; the held third is dropped with its connection, never run.
    await new Promise<void>((resolve) => setImmediate(resolve));
    await gate;
    expect(started).toEqual([1, 2]);
  });

  it('hung handlers and hooks free their slots after requestTimeout: later requests are answered, and the server reports them (outside run 4)', async () => {
    const errors: string[] = [];
    const server = t.track(
      await startTestServer({
        maxInflight: 2,
        requestTimeout: 200,
        security: OFF,
        // A hook that never settles for one topic: subscribes to it hold their place in the ordered chain.
        authorize: ({ topic }) => (topic === 'room:hung' ? new Promise<boolean>(() => {}) : true),
      }),
    );
    server.rt.on('error', (error) => errors.push((error as Error).message));
    server.rt.rpc('hang', () => new Promise(() => {}));
    server.rt.rpc('echo', (input) => input);
    const client = await t.connect(server.url);
    client.send({ type: 'rpc', id: 1, method: 'hang', data: null });
    client.send({ type: 'rpc', id: 2, method: 'hang', data: null });
    client.send({ type: 'rpc', id: 3, method: 'echo', data: 'still here' }); // held: the cap is full
    expect(await client.next('reply', (r) => r.id === 3)).toMatchObject({ data: 'still here' });
    client.send({ type: 'subscribe', id: 4, topic: 'room:hung' });
    client.send({ type: 'publish', id: 5, topic: 'chat', data: { text: 'after the hung subscribe' } });
    expect(await client.next('ack', (a) => a.id === 5)).toMatchObject({ type: 'ack' });
    expect(errors).toEqual(
      expect.arrayContaining([
        'rpc hang did not settle within 200 ms',
        'subscribe room:hung did not settle within 200 ms',
      ]),
    );
  });

  it('the default cap fits in the default frame burst, with room for pings and subscribes', () => {
    const { maxInflight } = RealtimeConfig.production();
    const burst = DEFAULT_RATE_LIMITS.messagesPerConnection;
    expect(burst && maxInflight <= burst.capacity / 2).toBe(true); // 256 > 200 got a client closed with 4429
  });
});
