import { describe, expect, it } from 'vitest';
import { useTestResources } from './support/clients';
import { startTestServer } from './support/test-server';

const t = useTestResources();

/** Every case: the offender gets the documented answer and a bystander keeps being served. */
describe('bad input from a client', () => {
  const frames: [name: string, frame: string | Buffer, code: string][] = [
    ['malformed JSON', '{"type":"subscribe",', 'malformed'],
    ['unknown type', '{"type":"teleport","id":1}', 'unknown_type'],
    ['wrong shape', '{"type":"subscribe","id":1,"topic":42}', 'invalid'],
    ['JSON that is not an object', '[1,2,3]', 'invalid'],
    ['deep JSON', `{"type":"publish","topic":"chat","data":${'['.repeat(10_000)}${']'.repeat(10_000)}}`, 'too_large'],
    ['binary garbage', Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00, 0x01]), 'malformed'],
    [
      'binary frame of a non-publish type',
      Buffer.concat([Buffer.from([1, 0, 29]), Buffer.from('{"type":"subscribe","id":1,"x"')]),
      'malformed',
    ],
  ];

  it.each(frames)('%s → error %s, connection kept', async (_name, frame, code) => {
    const server = t.track(await startTestServer());
    const bystander = await t.connect(server.url);
    await bystander.subscribe('chat');
    const offender = await t.connect(server.url);
    offender.send(frame);
    expect(await offender.next('error')).toMatchObject({ code });
    offender.send({ type: 'ping' });
    await offender.next('pong');
    await server.rt.publish('chat', { text: 'still here' });
    expect(await bystander.next('message')).toMatchObject({ data: { text: 'still here' } });
    expect(server.rt.stats().invalidFrames).toBe(1);
  });

  it('answers with the request id when the frame had one', async () => {
    const server = t.track(await startTestServer());
    const client = await t.connect(server.url);
    client.send({ type: 'subscribe', id: 41, topic: 'has space' });
    expect(await client.next('error')).toMatchObject({ id: 41, code: 'invalid' });
  });

  it('closes an oversized text frame with 1009, and serves others', async () => {
    const server = t.track(await startTestServer({ maxPayload: 1_024 }));
    const bystander = await t.connect(server.url);
    const offender = await t.connect(server.url);
    offender.send({ type: 'publish', topic: 'chat', data: { text: 'x'.repeat(2_000) } });
    expect((await offender.closed).code).toBe(1009);
    bystander.send({ type: 'ping' });
    await bystander.next('pong');
  });

  it('closes a frame beyond every limit with 1009 (ws enforces maxPayload before buffering it)', async () => {
    const server = t.track(await startTestServer({ maxPayload: 1_024, maxBinaryPayload: 4_096 }));
    const offender = await t.connect(server.url);
    offender.send(Buffer.alloc(10_000));
    expect((await offender.closed).code).toBe(1009);
  });

  it('caps subscriptions per connection and keeps the connection', async () => {
    const server = t.track(await startTestServer({ maxSubscriptions: 3 }));
    const client = await t.connect(server.url);
    for (const id of [1, 2, 3]) expect(await client.subscribe(`room:${id}`)).toMatchObject({ type: 'subscribed' });
    expect(await client.subscribe('room:4')).toMatchObject({ type: 'error', code: 'limit_exceeded' });
    client.send({ type: 'ping' });
    await client.next('pong');
  });

  it('survives a subscribe flood: 10,000 attempts get answers, the server stays responsive', async () => {
    // The message rate limit is lifted here to exercise the subscription cap and the in-flight
    // bound; security.test.ts shows the default limits closing such a flood with 4429.
    const server = t.track(
      await startTestServer({ maxSubscriptions: 50, security: { rateLimits: { messagesPerConnection: false } } }),
    );
    const client = await t.connect(server.url);
    for (let i = 0; i < 10_000; i++) client.send({ type: 'subscribe', id: i, topic: `room:${i}` });
    await client.waitFor(
      (e): e is never => (e.type === 'error' || e.type === 'subscribed') && 'id' in e && e.id === 9_999,
      20_000,
      'the last answer',
    );
    const answers = client.received.filter((e) => e.type === 'subscribed' || e.type === 'error');
    expect(answers.filter((e) => e.type === 'subscribed')).toHaveLength(50);
    expect(answers.length).toBeGreaterThanOrEqual(10_000 - 256); // excess beyond in-flight cap answered rate_limited
    const other = await t.connect(server.url);
    other.send({ type: 'ping' });
    await other.next('pong');
  });

  it('refuses a topic longer than maxTopicLength', async () => {
    const server = t.track(await startTestServer({ maxTopicLength: 10 }));
    const client = await t.connect(server.url);
    expect(await client.subscribe('room:12345678901')).toMatchObject({ type: 'error', code: 'invalid' });
  });
});

describe('bad topic names from the server side (outside run 3)', () => {
  it('rt.publish refuses a name no client could subscribe to, with `invalid`, before the broker holds it', async () => {
    const server = t.track(await startTestServer());
    const long = `room:${'a'.repeat(4_996)}`;
    await expect(server.rt.publish(long as 'room:1', { n: 1 })).rejects.toMatchObject({
      code: 'invalid',
      message: 'topic longer than 200',
    });
    await expect(server.rt.publish('room:a b' as 'room:1', { n: 1 })).rejects.toMatchObject({
      code: 'invalid',
      message: 'invalid topic name',
    });
    await expect(server.rt.publish(`room:${'a'.repeat(195)}` as 'room:1', { n: 1 })).resolves.toMatchObject({
      isDuplicate: false,
    });
    expect(server.rt.stats().published).toBe(1);
  });
});
