import { connect } from 'node:net';
import { once, withDeadline } from '@oxidite/test-utils';
import { describe, expect, it } from 'vitest';
import { startTestHub } from './support/test-hub';

/**
 * Sends the start of a request that never ends; resolves with everything the hub answered once it
 * closed the socket, within `ms` (a bound, not a timing claim: the hub's limit plus a check every
 * second, against Node's own 60 s or 5 minutes plus 30 s).
 */
async function unfinished(port: number, start: string, ms: number): Promise<string> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect', 5_000);
  let text = '';
  socket.on('data', (chunk: Buffer) => {
    text += chunk.toString('latin1');
  });
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.write(start);
  await withDeadline(closed, ms, 'the unfinished request to be closed');
  return text;
}

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
