import { describe, expect, it } from 'vitest';
import { RealtimeConfig } from '../../src/config';
import { createWelcomes } from '../../src/transport/welcome';

describe('createWelcomes', () => {
  const limits = RealtimeConfig.production();

  it('sends exactly the bytes JSON.stringify gives the envelope, whatever the session id', () => {
    const welcome = createWelcomes(limits);
    for (const session of ['mq3x1a9b2c', '', 'a"b\\c', 'é\u2028x']) {
      const outbound = welcome(session);
      expect(outbound.envelope).toEqual({
        type: 'welcome',
        protocol: 1,
        session,
        heartbeat: limits.heartbeatInterval,
        limits: {
          maxPayload: limits.maxPayload,
          maxSubscriptions: limits.maxSubscriptions,
          maxInflight: limits.maxInflight,
        },
      });
      expect(outbound.frame.toString('utf8')).toBe(JSON.stringify(outbound.envelope));
    }
  });
});
