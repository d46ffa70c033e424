import { describe, expect, it } from 'vitest';
import { CloseCode, ErrorCode, type ReconnectAdvice, isRetryableError, reconnectAdvice } from '../src/index';

/** The close-code table of the protocol: what a client does after each close. */
const EXPECTED_ADVICE: Record<keyof typeof CloseCode, ReconnectAdvice> = {
  NORMAL: 'stop',
  GOING_AWAY: 'reconnect',
  ABNORMAL: 'reconnect',
  PROTOCOL_ERROR: 'reconnect',
  INVALID_PAYLOAD: 'reconnect',
  POLICY_VIOLATION: 'stop',
  MESSAGE_TOO_BIG: 'reconnect',
  INTERNAL_ERROR: 'reconnect',
  TRY_AGAIN_LATER: 'reconnect',
  UNAUTHORIZED: 'refresh-token',
  FORBIDDEN: 'stop',
  RATE_LIMITED: 'reconnect',
};

describe('CloseCode', () => {
  it('has the RFC 6455 and private-range values', () => {
    expect(CloseCode).toEqual({
      NORMAL: 1000,
      GOING_AWAY: 1001,
      ABNORMAL: 1006,
      PROTOCOL_ERROR: 1002,
      INVALID_PAYLOAD: 1007,
      POLICY_VIOLATION: 1008,
      MESSAGE_TOO_BIG: 1009,
      INTERNAL_ERROR: 1011,
      TRY_AGAIN_LATER: 1013,
      UNAUTHORIZED: 4401,
      FORBIDDEN: 4403,
      RATE_LIMITED: 4429,
    });
  });

  it('has unique values', () => {
    const values = Object.values(CloseCode);
    expect(new Set(values).size).toBe(values.length);
  });

  it('covers every close code in the advice table', () => {
    expect(Object.keys(EXPECTED_ADVICE).sort()).toEqual(Object.keys(CloseCode).sort());
  });
});

describe('reconnectAdvice', () => {
  it.each(Object.entries(EXPECTED_ADVICE))('advises %s per the table', (name, advice) => {
    expect(reconnectAdvice(CloseCode[name as keyof typeof CloseCode])).toBe(advice);
  });

  it.each([1002, 1003, 1005, 1007, 1010, 1012, 1014, 1015, 3000, 4000, 4500, 4999, 0, -1, 65535, Number.NaN])(
    'reconnects after unknown code %s',
    (code) => {
      expect(reconnectAdvice(code)).toBe('reconnect');
    },
  );
});

describe('ErrorCode', () => {
  it('has unique values', () => {
    const values = Object.values(ErrorCode);
    expect(values.length).toBeGreaterThan(0);
    expect(new Set(values).size).toBe(values.length);
  });

  it('uses lower snake_case wire values', () => {
    for (const value of Object.values(ErrorCode)) expect(value).toMatch(/^[a-z]+(_[a-z]+)*$/);
  });

  it('includes the four decode error codes', () => {
    expect(Object.values(ErrorCode)).toEqual(
      expect.arrayContaining(['malformed', 'unknown_type', 'invalid', 'too_large']),
    );
  });
});

describe('isRetryableError', () => {
  it('retries only transient failures', () => {
    const retryable = Object.values(ErrorCode).filter((code) => isRetryableError(code));
    expect(retryable.sort()).toEqual(['disconnected', 'internal', 'rate_limited', 'timeout']);
    expect(isRetryableError('something_else')).toBe(false);
  });
});
