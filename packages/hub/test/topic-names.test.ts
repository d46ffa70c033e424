import { ErrorCode, RealtimeError } from '@oxidite/protocol';
import { describe, expect, it } from 'vitest';
import { startTestHub } from './support/test-hub';

const invalidTopic = {
  status: 400,
  body: { error: { code: 'invalid', message: expect.stringMatching(/topic/) } },
};

describe('topic names given to the API', () => {
  it('an over-long or malformed topic is a 400 invalid, and nothing is published', async () => {
    await using t = await startTestHub({ maxBodyBytes: 65_536 });
    const long = `t${'a'.repeat(4999)}`;
    for (const topic of [long, `chat:${'a'.repeat(196)}`, 'news\n', 'chat:lo bby', 'chat:é']) {
      const answer = await t.api('/api/publish', { key: 'publish', body: { topic, data: 1 } });
      expect([topic.slice(0, 20), answer]).toEqual([topic.slice(0, 20), invalidTopic]);
    }
    const many = await t.api('/api/publish', { key: 'publish', body: { topics: ['news', long], data: 1 } });
    expect(many).toEqual(invalidTopic);
    expect((await t.api('/api/history?topic=news', { key: 'history' })).body?.['messages']).toEqual([]);
    expect(await t.api(`/api/history?topic=${long}`, { key: 'history' })).toEqual(invalidTopic);
    expect(await t.api(`/api/presence?topic=${long}`, { key: 'presence' })).toEqual(invalidTopic);
  });

  it('the longest accepted name (200 characters) still publishes', async () => {
    await using t = await startTestHub();
    const topic = `chat:${'a'.repeat(195)}`;
    const answer = await t.api('/api/publish', { key: 'publish', body: { topic, data: { text: 'hi' } } });
    expect(answer.status).toBe(200);
  });

  it('a topic the realtime server refuses (RealtimeError invalid from rt.publish) is a 400 with the error body', async () => {
    await using t = await startTestHub();
    // The SDK server checks names too (its maxTopicLength); whatever it refuses maps to 400.
    t.hub.realtime.publish = async () => {
      throw new RealtimeError(ErrorCode.INVALID, 'topic longer than 200');
    };
    expect(await t.api('/api/publish', { key: 'publish', body: { topic: 'news', data: 1 } })).toEqual({
      status: 400,
      body: { error: { code: 'invalid', message: 'topic longer than 200' } },
    });
  });
});
