import { unfinishedRequest as unfinished } from '@oxidite/test-utils';
import { describe, expect, it } from 'vitest';
import { startTestHub } from './support/test-hub';

describe('requests whose headers never end (outside run 3: held 84 s by the SDK server)', () => {
  it('get 408 and are closed after the SDK’s headers timeout (10 s), not Node’s 60 s', async () => {
    await using t = await startTestHub();
    const answer = await unfinished(
      t.hub.address.port,
      'GET /api/history?topic=chat HTTP/1.1\r\nHost: 127.0.0.1\r\n',
      25_000,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
  }, 40_000);
});

describe('request bodies that never end (outside run 4: 600 held past 41 s)', () => {
  it('get 408 and are closed once the request has taken 5 s more than the headers may', async () => {
    await using t = await startTestHub();
    const answer = await unfinished(
      t.hub.address.port,
      'POST /api/publish HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer admin-key-0123456789\r\n' +
        'Content-Type: application/json\r\nContent-Length: 4000\r\n\r\n{"topic":"news","data":"',
      30_000,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
  }, 40_000);
});
