import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createRealtimeServer } from '../src/index';
import { testTopics } from './support/test-server';

/**
 * The backlog the kernel applied to a listening socket: `ss` shows it as the Send-Q of a LISTEN
 * row (capped by `net.core.somaxconn`). Linux only.
 */
function listenBacklog(port: number): number {
  const row = execFileSync('ss', ['-Hltn', `sport = :${port}`], { encoding: 'utf8' }).trim();
  const columns = row.split(/\s+/);
  return Number(columns[2]);
}

const hasSs = (() => {
  try {
    execFileSync('ss', ['-V'], { stdio: 'ignore' });
    return process.platform === 'linux';
  } catch {
    return false;
  }
})();

describe('rt.listen backlog', () => {
  it.skipIf(!hasSs)('listens with a backlog above Node’s 511 by default, and with the one given', async () => {
    await using defaults = disposable(createRealtimeServer({ topics: testTopics }));
    const { port } = await defaults.rt.listen(0, '127.0.0.1');
    // Node's own default (511) made a reconnect storm drop SYNs for 1–3 s (#18 goal 4).
    expect(listenBacklog(port)).toBeGreaterThan(511);

    await using small = disposable(createRealtimeServer({ topics: testTopics }));
    const second = await small.rt.listen(0, '127.0.0.1', { backlog: 64 });
    expect(listenBacklog(second.port)).toBe(64);
  });

  it('refuses a backlog that is not a positive integer, before listening', async () => {
    await using server = disposable(createRealtimeServer({ topics: testTopics }));
    for (const backlog of [0, -1, 1.5, Number.NaN]) {
      await expect(server.rt.listen(0, '127.0.0.1', { backlog })).rejects.toThrow(RangeError);
    }
  });
});

function disposable<T extends { close(): Promise<void> }>(rt: T): { rt: T } & AsyncDisposable {
  return { rt, [Symbol.asyncDispose]: () => rt.close() };
}
