import { describe, expect, expectTypeOf, it } from 'vitest';
import * as z from 'zod';
import { type PresenceChange, RealtimeError } from '../src/index';
import { collect, connect, recordStates, startServer, waitFor } from './support/harness';
import { topics } from './support/topics';

/** The test topics as a client with a stricter `chat` schema sees them: texts of at most 5 characters. */
const strict = { ...topics, chat: z.object({ text: z.string().max(5) }) };

describe('connecting', () => {
  it('goes connecting → open, resolves ready and knows its session', async () => {
    const server = await startServer();
    const client = connect(server.url);
    expect(client.state).toBe('connecting');
    const states = recordStates(client);
    await client.ready;
    expect(client.state).toBe('open');
    expect(states).toEqual([{ from: 'connecting', to: 'open' }]);
    expect(client.session).toMatch(/^[a-z0-9]+$/);
  });

  it('takes the URL from an async provider', async () => {
    const server = await startServer();
    const client = connect('unused', { url: async () => server.url });
    await client.ready;
    expect(client.state).toBe('open');
  });
});

describe('typed publish and subscribe', () => {
  it('delivers a publish to a subscriber; the ack carries the offset the subscriber sees', async () => {
    const server = await startServer();
    const [alice, bob] = [connect(server.url), connect(server.url)];
    const chat = collect(bob, 'chat');
    expectTypeOf(chat.data()).toEqualTypeOf<{ text: string }[]>();
    await chat.sub.ready;
    expect(chat.sub.state).toBe('subscribed');
    const { offset } = await alice.publish('chat', { text: 'hello' });
    expect(offset).toMatch(/^[A-Za-z0-9_-]+:1$/);
    await chat.count(1);
    expect(chat.messages).toEqual([
      { data: { text: 'hello' }, meta: { topic: 'chat', offset, ts: expect.any(Number) } },
    ]);
    expect(chat.sub.offset).toBe(offset);
  });

  it('subscribes before the connection is open, and to pattern topics', async () => {
    const server = await startServer();
    const client = connect(server.url);
    const room = collect(client, 'room:42');
    expect(room.sub.state).toBe('subscribing');
    await room.sub.ready;
    await server.rt.publish('room:42', { text: 'from the server' });
    await room.count(1);
    expect(room.data()).toEqual([{ text: 'from the server' }]);
  });

  it('replays recent history on the first subscribe with rewind', async () => {
    const server = await startServer();
    for (let n = 1; n <= 5; n++) await server.rt.publish('numbers', { n });
    const client = connect(server.url);
    const numbers = collect(client, 'numbers', { rewind: 2 });
    await numbers.count(2);
    await server.rt.publish('numbers', { n: 6 });
    await numbers.count(3);
    expect(numbers.data()).toEqual([{ n: 4 }, { n: 5 }, { n: 6 }]);
  });

  it('sends Uint8Array payloads as binary frames and receives bytes', async () => {
    const server = await startServer();
    const client = connect(server.url);
    const files = collect(client, 'files');
    await files.sub.ready;
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    await client.publish('files', bytes);
    await files.count(1);
    const [received] = files.data();
    expect(received).toBeInstanceOf(Uint8Array);
    expect([...(received as Uint8Array)]).toEqual([...bytes]);
  });

  it('allows one subscription per topic; after unsubscribe() nothing more is delivered', async () => {
    const server = await startServer();
    const client = connect(server.url);
    const chat = collect(client, 'chat');
    expect(() => client.subscribe('chat', () => {})).toThrow(/already subscribed/);
    expect(() => client.subscribe('nope' as 'chat', () => {})).toThrowError(
      expect.objectContaining({ code: 'unknown_topic' }),
    );
    await chat.sub.ready;
    await client.publish('chat', { text: 'one' });
    await chat.count(1);
    chat.sub.unsubscribe();
    chat.sub.unsubscribe(); // idempotent
    expect(chat.sub.state).toBe('unsubscribed');
    // Published after the unsubscribe, then a message on another topic: once that one is in, 'two' would have been too.
    const numbers = collect(client, 'numbers');
    await numbers.sub.ready;
    await client.publish('chat', { text: 'two' });
    await client.publish('numbers', { n: 1 });
    await numbers.count(1);
    expect(chat.data()).toEqual([{ text: 'one' }]);
    const again = collect(client, 'chat');
    await again.sub.ready;
    await client.publish('chat', { text: 'three' });
    await again.count(1);
    expect(again.data()).toEqual([{ text: 'three' }]);
  });
});

describe('received payload validation', () => {
  it('reports an invalid payload as an error event and does not deliver it', async () => {
    const server = await startServer();
    const client = connect(server.url, { topics: strict });
    const errors: RealtimeError[] = [];
    client.on('error', (error) => errors.push(error));
    const chat = collect(client, 'chat');
    const subErrors: RealtimeError[] = [];
    chat.sub.on('error', (error) => subErrors.push(error));
    await chat.sub.ready;
    await server.rt.publish('chat', { text: 'much too long' });
    await server.rt.publish('chat', { text: 'short' });
    await chat.count(1);
    expect(chat.data()).toEqual([{ text: 'short' }]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(RealtimeError);
    expect(errors[0]).toMatchObject({ code: 'invalid' });
    expect(errors[0]?.message).toMatch(/chat/);
    expect(subErrors).toEqual(errors);
  });

  it('delivers without checking when validate is false', async () => {
    const server = await startServer();
    const client = connect(server.url, { topics: strict, validate: false });
    const chat = collect(client, 'chat');
    await chat.sub.ready;
    await server.rt.publish('chat', { text: 'much too long' });
    await chat.count(1);
    expect(chat.data()).toEqual([{ text: 'much too long' }]);
  });
});

describe('application errors', () => {
  it('reports a handler that throws as an error event and keeps delivering', async () => {
    const server = await startServer();
    const client = connect(server.url);
    const errors: RealtimeError[] = [];
    client.on('error', (error) => errors.push(error));
    const seen: number[] = [];
    const numbers = collect(client, 'numbers');
    const sub = client.subscribe('room:x', ({ text }) => {
      seen.push(text.length);
      if (text === 'boom') throw new Error('app bug');
    });
    await Promise.all([sub.ready, numbers.sub.ready]);
    await server.rt.publish('room:x', { text: 'boom' });
    await server.rt.publish('room:x', { text: 'fine' });
    await server.rt.publish('numbers', { n: 1 }); // after the two above on the same connection
    await numbers.count(1);
    expect(seen).toEqual([4, 4]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'internal', cause: expect.objectContaining({ message: 'app bug' }) });
  });
});

describe('rpc, broadcast and presence', () => {
  it('calls a method and validates the reply with its output schema', async () => {
    const server = await startServer();
    server.rt.rpc('echo', (data) => data);
    server.rt.rpc('lies', () => ({ x: 'not a number' }) as never);
    const client = connect(server.url);
    const reply = await client.rpc('echo', { x: 42 });
    expectTypeOf(reply).toEqualTypeOf<{ x: number }>();
    expect(reply).toEqual({ x: 42 });
    await expect(client.rpc('lies', {})).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringMatching(/lies reply/),
    });
    await expect(client.rpc('echo', { x: 'no' } as never)).rejects.toMatchObject({ code: 'invalid' });
  });

  it('emits broadcasts', async () => {
    const server = await startServer();
    const client = connect(server.url);
    await client.ready;
    const received = waitFor<[unknown, { ts: number }]>(
      (done) => client.on('broadcast', (data, meta) => done([data, meta])),
      'a broadcast',
    );
    expect(server.rt.broadcast({ notice: 'maintenance at noon' }).sent).toBe(1);
    const [data, meta] = await received;
    expect(data).toEqual({ notice: 'maintenance at noon' });
    expect(meta.ts).toEqual(expect.any(Number));
  });

  it('keeps the member list of a presence topic up to date', async () => {
    const server = await startServer();
    const [alice, bob] = [connect(server.url), connect(server.url)];
    const aliceRoom = collect(alice, 'room:1');
    await aliceRoom.sub.ready;
    await alice.ready;
    expect(aliceRoom.sub.members.map((m) => m.client)).toEqual([alice.session]);
    const joined = waitFor<PresenceChange>((done) => aliceRoom.sub.on('presence', done), 'a join');
    const bobRoom = collect(bob, 'room:1');
    await bobRoom.sub.ready;
    await bob.ready;
    expect((await joined).joins.map((m) => m.client)).toEqual([bob.session]);
    expect(aliceRoom.sub.members.map((m) => m.client).sort()).toEqual([alice.session, bob.session].sort());
    expect(bobRoom.sub.members).toHaveLength(2);
    const left = waitFor<PresenceChange>((done) => aliceRoom.sub.on('presence', done), 'a leave');
    bobRoom.sub.unsubscribe();
    expect((await left).leaves.map((m) => m.client)).toEqual([bob.session]);
    expect(aliceRoom.sub.members.map((m) => m.client)).toEqual([alice.session]);
  });
});
