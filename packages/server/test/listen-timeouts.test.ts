import { unfinishedRequest } from '@oxidite/test-utils';
import { describe, expect, it } from 'vitest';
import { createRealtimeServer } from '../src/index';
import { testTopics } from './support/test-server';

describe('rt.listen: requests whose headers never end (outside run 3: 3,000 held for 84 s)', () => {
  it('answers 408 and closes them after headersTimeout, WebSocket path or not', async () => {
    const rt = createRealtimeServer({ topics: testTopics });
    try {
      const { port } = await rt.listen(0, '127.0.0.1', { headersTimeout: 300 });
      const answers = await Promise.all([
        unfinishedRequest(port, 'GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n'),
        unfinishedRequest(port, 'GET /events?topic=chat HTTP/1.1\r\n'),
      ]);
      for (const answer of answers) expect(answer).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    } finally {
      await rt.close();
    }
  });

  it('refuses a headersTimeout that is not a positive integer, before listening', async () => {
    const rt = createRealtimeServer({ topics: testTopics });
    try {
      for (const headersTimeout of [0, -5, 1.5, Number.NaN]) {
        await expect(rt.listen(0, '127.0.0.1', { headersTimeout })).rejects.toThrow(RangeError);
      }
    } finally {
      await rt.close();
    }
  });
});
