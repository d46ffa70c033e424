import { decodeServerEnvelope } from '@oxidite/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { errorEnvelope } from '../../src/hub/error-envelope';

describe('errorEnvelope', () => {
  it('property: whatever goes in, the envelope passes the protocol decoder', () => {
    fc.assert(
      fc.property(
        fc.option(fc.nat(), { nil: undefined }),
        fc.string({ maxLength: 100 }),
        fc.string({ unit: 'grapheme', maxLength: 2_000 }),
        fc.option(fc.oneof(fc.double(), fc.integer()), { nil: undefined }),
        fc.option(fc.oneof(fc.string({ maxLength: 300 }), fc.constantFrom('chat', 'room:1')), { nil: undefined }),
        (id, code, message, retryAfter, topic) => {
          const envelope = errorEnvelope(id, code, message, { retryAfter, topic });
          const decoded = decodeServerEnvelope(JSON.stringify(envelope));
          expect(decoded.ok ? 'ok' : decoded.error.message).toBe('ok');
        },
      ),
      { seed: 25, numRuns: 500 },
    );
  });

  it('keeps a valid topic, drops an invalid one, and never splits a surrogate pair when cutting', () => {
    expect(errorEnvelope(1, 'forbidden', 'no', { topic: 'room:1' }).topic).toBe('room:1');
    expect(errorEnvelope(1, 'unknown_topic', 'no', { topic: 'has space' })).not.toHaveProperty('topic');
    const message = errorEnvelope(undefined, 'rejected', '😀'.repeat(600)).message;
    expect(message.length).toBeLessThanOrEqual(1_024);
    expect(message.endsWith('😀…')).toBe(true);
  });
});
