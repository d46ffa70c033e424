import { describe, expect, it } from 'vitest';
import { isRealtimeError, RealtimeError } from '../src/index';
import { collect, connect, nextState, startServer } from './support/harness';

describe('typed errors', () => {
  it('rejects an invalid publish locally with invalid, before anything is sent', async () => {
    const published: unknown[] = [];
    const server = await startServer({
      filter: ({ data }) => {
        published.push(data);
        return true;
      },
    });
    const client = connect(server.url);
    const error = await client.publish('chat', { text: 42 } as never).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RealtimeError);
    expect(error).toMatchObject({ code: 'invalid', message: expect.stringMatching(/text/) });
    await client.publish('chat', { text: 'valid' });
    expect(published).toEqual([{ text: 'valid' }]);
    await expect(client.publish('nope' as 'chat', { text: 'x' })).rejects.toMatchObject({ code: 'unknown_topic' });
  });

  it("passes on the server's error code for a refused publish", async () => {
    const server = await startServer({
      authorize: ({ topic, action }) => !(topic === 'locked' && action === 'publish'),
    });
    const client = connect(server.url);
    const error = await client.publish('locked', { text: 'hi' }).catch((caught: unknown) => caught);
    expect(isRealtimeError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/locked/) });
  });

  it('fails a refused subscription: state failed, ready rejects, error event', async () => {
    const server = await startServer({ authorize: ({ topic }) => topic !== 'locked' });
    const client = connect(server.url);
    const locked = collect(client, 'locked');
    const errors: RealtimeError[] = [];
    locked.sub.on('error', (error) => errors.push(error));
    await expect(locked.sub.ready).rejects.toMatchObject({ code: 'forbidden' });
    expect(locked.sub.state).toBe('failed');
    expect(errors.map((e) => e.code)).toEqual(['forbidden']);
    // The failed subscription is gone: the topic can be subscribed again.
    expect(() => client.subscribe('locked', () => {})).not.toThrow();
  });

  it('rejects RPCs with the code and retryAfter of the error, or unknown_method', async () => {
    const server = await startServer();
    server.rt.rpc('echo', () => {
      throw new RealtimeError('rate_limited', 'slow down', { retryAfter: 250 });
    });
    const client = connect(server.url);
    const error = await client.rpc('echo', { x: 1 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RealtimeError);
    expect(error).toMatchObject({ code: 'rate_limited', message: 'slow down', retryAfter: 250 });
    await expect(client.rpc('missing' as 'echo', { x: 1 })).rejects.toMatchObject({ code: 'unknown_method' });
  });

  it('times out a request that gets no answer', async () => {
    const server = await startServer();
    server.rt.rpc('echo', () => new Promise<never>(() => {}));
    const client = connect(server.url);
    await expect(client.rpc('echo', { x: 1 }, { timeout: 50 })).rejects.toMatchObject({ code: 'timeout' });
  });

  it("refuses a frame larger than the server's maxPayload before sending it", async () => {
    const server = await startServer({ maxPayload: 1_024 });
    const client = connect(server.url);
    await client.ready;
    const error = await client.publish('room:1', { text: 'x'.repeat(2_000) }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'too_large' });
    expect(client.state).toBe('open'); // not closed with 1009
    await expect(client.publish('room:1', { text: 'small' })).resolves.toMatchObject({ offset: expect.any(String) });
  });

  it('rejects everything with disconnected after close()', async () => {
    const server = await startServer();
    const client = connect(server.url);
    await client.ready;
    const closed = nextState(client, 'closed');
    client.close();
    expect(await closed).toMatchObject({ from: 'open', to: 'closed', code: 1000 });
    await expect(client.publish('chat', { text: 'late' })).rejects.toMatchObject({ code: 'disconnected' });
    await expect(client.rpc('echo', { x: 1 })).rejects.toMatchObject({ code: 'disconnected' });
    expect(() => client.subscribe('chat', () => {})).toThrowError(expect.objectContaining({ code: 'disconnected' }));
  });
});
