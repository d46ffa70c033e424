import { connect } from 'node:net';
import { once, withDeadline } from '@oxidite/test-utils';
import { describe, expect, it } from 'vitest';
import { startTestHub } from './support/test-hub';

describe('requests whose headers never end (outside run 3: held 84 s by the SDK server)', () => {
  it('get 408 and are closed after the SDK’s headers timeout (10 s), not Node’s 60 s', async () => {
    await using t = await startTestHub();
    const socket = connect(t.hub.address.port, '127.0.0.1');
    await once(socket, 'connect', 5_000);
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
    });
    socket.on('error', () => {});
    socket.write('GET /api/history?topic=chat HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    // A bound, not a timing claim: 10 s plus a check every second, against Node's 60 s plus 30 s.
    await withDeadline(closed, 25_000, 'the unfinished request to be closed');
    expect(text).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
  }, 40_000);
});

describe('request bodies that never end (outside run 4: 600 held past 41 s)', () => {
  it('get 408 and are closed once the request has taken 5 s more than the headers may', async () => {
    await using t = await startTestHub();
    const socket = connect(t.hub.address.port, '127.0.0.1');
    await once(socket, 'connect', 5_000);
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
    });
    socket.on('error', () => {});
    socket.write(
      'POST /api/publish HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer admin-key-0123456789\r\n' +
        'Content-Type: application/json\r\nContent-Length: 4000\r\n\r\n{"topic":"news","data":"',
    );
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    await withDeadline(closed, 30_000, 'the unfinished body to be closed');
    expect(text).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
  }, 40_000);
});
