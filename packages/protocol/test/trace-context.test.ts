import { describe, expect, it } from 'vitest';
import { decodeClientEnvelope, formatTraceparent, parseTraceparent } from '../src/index';

const valid = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('traceparent', () => {
  it('reads and writes version 00', () => {
    const parent = parseTraceparent(valid);
    expect(parent).toEqual({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', flags: 1 });
    expect(parent && formatTraceparent(parent)).toBe(valid);
  });

  it('ignores what the spec says to ignore, and never throws', () => {
    for (const bad of [
      undefined,
      42,
      '',
      'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      '00-00000000000000000000000000000000-00f067aa0ba902b7-01',
      '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01',
      '00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01',
      `${valid}-extra`,
      'x'.repeat(10_000),
    ]) {
      expect(parseTraceparent(bad)).toBeUndefined();
    }
    // A later version may append fields.
    expect(parseTraceparent(`01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-future`)).toBeDefined();
  });

  it('travels on publish, bounded in length; an unreadable value is not a refusal', () => {
    const decoded = decodeClientEnvelope(JSON.stringify({ type: 'publish', topic: 'a', data: 1, traceparent: valid }));
    expect(decoded).toMatchObject({ ok: true, value: { traceparent: valid } });
    expect(
      decodeClientEnvelope(JSON.stringify({ type: 'publish', topic: 'a', data: 1, traceparent: 'junk' })),
    ).toMatchObject({ ok: true });
    expect(
      decodeClientEnvelope(
        JSON.stringify({ type: 'publish', id: 1, topic: 'a', data: 1, traceparent: 'x'.repeat(129) }),
      ),
    ).toMatchObject({ ok: false });
  });
});
