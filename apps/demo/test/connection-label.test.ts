import { describe, expect, it } from 'vitest';
import { type ConnectionStatus, connectionLabel } from '../src/page/connection-indicator';

const base: ConnectionStatus = { state: 'open', isOnline: true, queued: 0 };

describe('the connection indicator’s words', () => {
  it.each([
    [{ state: 'connecting' }, 'connecting…'],
    [{ state: 'open' }, 'live'],
    [{ state: 'open', queued: 2 }, 'live'], // being sent right now, not waiting
    [{ state: 'open', isOnline: false, queued: 1 }, 'offline · 1 queued'], // the socket has not noticed yet
    [{ state: 'reconnecting', retryIn: 1_200 }, 'reconnecting in 2 s'],
    [{ state: 'reconnecting', queued: 3, retryIn: 29_001 }, 'reconnecting in 30 s · 3 queued'],
    [{ state: 'reconnecting', retryIn: -5 }, 'reconnecting…'],
    [{ state: 'reconnecting', queued: 2 }, 'reconnecting… · 2 queued'],
    [{ state: 'reconnecting', isOnline: false, queued: 1 }, 'offline · 1 queued'],
    [{ state: 'closed', code: 4403 }, 'refused'],
    [{ state: 'closed', code: 1008, queued: 2 }, 'refused · 2 queued'],
    [{ state: 'closed', code: 1000 }, 'disconnected'],
    [{ state: 'closed' }, 'disconnected'],
  ] as const)('%o → %s', (status, label) => {
    expect(connectionLabel({ ...base, ...status })).toBe(label);
  });
});
