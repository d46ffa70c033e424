import type { ServerEnvelope } from '@oxidite/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Connection } from '../../src/hub/connection';
import type { HubContext } from '../../src/hub/hub-context';
import type { Peer } from '../../src/hub/peer';
import { refreshLead, scheduleRefresh } from '../../src/hub/refresh';
import { InboundLimit } from '../../src/security';

const SECOND = 1_000;
const DAY = 86_400 * SECOND;

/** A connection whose peer records what the scheduler sends and how it closes. */
function connectionExpiringIn(lifetime: number) {
  const sent: ServerEnvelope[] = [];
  const closes: { code: number; reason: string }[] = [];
  const peer: Peer = {
    transport: 'websocket',
    isOpen: true,
    queuedBytes: 0,
    deliver: () => {},
    send: (outbound) => sent.push(outbound.envelope),
    close: (code, reason) => closes.push({ code, reason }),
    pauseReading: () => {},
    resumeReading: () => {},
    terminate: () => {},
    whenWritable: () => Promise.resolve(),
  };
  const connection = new Connection({
    id: 's1',
    peer,
    principal: { id: 'ann', expiresAt: Date.now() + lifetime },
    remoteAddress: '127.0.0.1',
    origin: undefined,
    now: Date.now(),
    inbound: new InboundLimit(false, 20),
  });
  const context = { now: () => Date.now() } as unknown as HubContext;
  scheduleRefresh(context, connection);
  return { connection, sent, closes };
}

describe('token refresh schedule (fake clock)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  // lifetime → when `refresh` is sent (ms after connecting): half the life, at most a minute ahead.
  const cases: [label: string, lifetime: number, askAt: number][] = [
    ['5 s', 5 * SECOND, 2.5 * SECOND],
    ['20 s', 20 * SECOND, 10 * SECOND],
    ['55 s', 55 * SECOND, 27.5 * SECOND],
    ['65 s', 65 * SECOND, 32.5 * SECOND],
    ['1 h', 3_600 * SECOND, 3_540 * SECOND],
    ['40 days (beyond setTimeout’s 24.8-day range)', 40 * DAY, 40 * DAY - 60 * SECOND],
  ];

  it.each(cases)('a %s token: refresh at %#, never before; 4401 only at expiry', (_label, lifetime, askAt) => {
    const { sent, closes } = connectionExpiringIn(lifetime);
    vi.advanceTimersByTime(askAt - 1);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([{ type: 'refresh', deadline: lifetime - askAt }]);
    vi.advanceTimersByTime(lifetime - askAt - 1);
    expect(closes).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(closes).toEqual([{ code: 4401, reason: 'token expired' }]);
  });

  it('a refreshed token is asked again only at half its own life, never at once', () => {
    const { connection, sent } = connectionExpiringIn(20 * SECOND);
    vi.advanceTimersByTime(10 * SECOND);
    expect(sent).toHaveLength(1);
    connection.principal = { id: 'ann', expiresAt: Date.now() + 20 * SECOND };
    scheduleRefresh({ now: () => Date.now() } as unknown as HubContext, connection);
    vi.advanceTimersByTime(10 * SECOND - 1);
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sent).toHaveLength(2);
  });

  it('a connection without an expiry is never asked', () => {
    const { sent, closes } = connectionExpiringIn(Number.POSITIVE_INFINITY);
    vi.advanceTimersByTime(100 * DAY);
    expect([...sent, ...closes]).toEqual([]);
  });

  it('refreshLead: half the remaining life, at most a minute, never negative', () => {
    expect(refreshLead(10 * SECOND)).toBe(5 * SECOND);
    expect(refreshLead(3_600 * SECOND)).toBe(60 * SECOND);
    expect(refreshLead(-5)).toBe(0);
  });
});
