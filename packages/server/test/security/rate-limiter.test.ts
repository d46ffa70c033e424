import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type BucketState,
  RETRY_NEVER,
  type RateDecision,
  type RateRule,
  takeTokens,
} from '../../src/security/rate-limiter';

const RULE: RateRule = { capacity: 10, refillPerSecond: 2 };

/** Runs calls written `time:cost time:cost …` (ms, tokens) from a new key; returns every decision. */
function run(rule: RateRule, calls: string): RateDecision[] {
  let state: BucketState | undefined;
  return calls.split(' ').map((call) => {
    const [now, cost] = call.split(':').map(Number) as [number, number];
    const step = takeTokens(state, rule, cost, now);
    state = step.state;
    return step.decision;
  });
}

const allowed = (remaining: number): RateDecision => ({ allowed: true, remaining, retryAfter: 0 });
const refused = (remaining: number, retryAfter: number): RateDecision => ({ allowed: false, remaining, retryAfter });
const SLOW: RateRule = { capacity: 10, refillPerSecond: 1 };

describe('takeTokens', () => {
  it.each<[string, RateRule, string, RateDecision]>([
    ['a new key starts full', RULE, '0:1', allowed(9)],
    ['the whole burst at once', RULE, '0:10', allowed(0)],
    ['one over the burst: 1 token at 2/s', RULE, '0:10 0:1', refused(0, 500)],
    ['half refilled after 250 ms', RULE, '0:10 250:1', refused(0, 250)],
    ['refilled after exactly retryAfter', RULE, '0:10 500:1', allowed(0)],
    ['refill is capped at capacity', RULE, '0:10 3600000:1', allowed(9)],
    ['cost > 1 waits for all its tokens', SLOW, '0:9 0:4', refused(1, 3000)],
    ['cost > 1 allowed once refilled', SLOW, '0:9 3000:4', allowed(0)],
    ['a cost above capacity is never allowed', RULE, '0:11', refused(10, RETRY_NEVER)],
    ['no refill: empty forever', { capacity: 2, refillPerSecond: 0 }, '0:2 1000000000:1', refused(0, RETRY_NEVER)],
    ['cost 0 is always allowed', RULE, '0:10 0:0', allowed(0)],
    ['remaining is rounded down', RULE, '0:10 700:0', allowed(1)],
    ['fractional rates round retryAfter up', { capacity: 1, refillPerSecond: 3 }, '0:1 0:1', refused(0, 334)],
    ['a clock that goes back refills nothing, and waits out the gap', RULE, '1000:10 0:1', refused(0, 1500)],
  ])('%s', (_name, rule, calls, expected) => {
    expect(run(rule, calls).at(-1)).toEqual(expected);
  });

  it('a refused call takes nothing', () => {
    const decisions = run(RULE, '0:8 0:5 0:2');
    expect(decisions.map((d) => d.allowed)).toEqual([true, false, true]);
  });

  it('a full burst then a steady rate', () => {
    const calls: string[] = [];
    for (let i = 0; i < 10; i++) calls.push('0:1');
    for (let t = 500; t <= 5000; t += 500) calls.push(`${t}:1`);
    expect(run(RULE, calls.join(' ')).every((d) => d.allowed)).toBe(true);
    expect(run(RULE, [...calls, '5000:1'].join(' ')).at(-1)).toEqual(refused(0, 500));
  });

  it.each([
    ['zero capacity', { capacity: 0, refillPerSecond: 1 }, 1],
    ['infinite capacity', { capacity: Number.POSITIVE_INFINITY, refillPerSecond: 1 }, 1],
    ['negative refill', { capacity: 1, refillPerSecond: -1 }, 1],
    ['NaN refill', { capacity: 1, refillPerSecond: Number.NaN }, 1],
    ['negative cost', RULE, -1],
    ['NaN cost', RULE, Number.NaN],
  ])('throws a RangeError for %s', (_name, rule, cost) => {
    expect(() => takeTokens(undefined, rule, cost, 0)).toThrow(RangeError);
  });

  it('waiting retryAfter ms is always enough, and 1 ms less never is', () => {
    fc.assert(
      fc.property(
        fc.record({
          capacity: fc.integer({ min: 1, max: 1000 }),
          refillPerSecond: fc.double({ min: 0.01, max: 10_000, noNaN: true }),
        }),
        fc.array(fc.tuple(fc.nat({ max: 5_000 }), fc.double({ min: 0, max: 50, noNaN: true })), { maxLength: 20 }),
        fc.double({ min: 0.001, max: 1000, noNaN: true }),
        (rule, steps, cost) => {
          let state: BucketState | undefined;
          let now = 0;
          for (const [delay, stepCost] of steps) {
            now += delay;
            state = takeTokens(state, rule, stepCost, now).state;
          }
          const { decision } = takeTokens(state, rule, cost, now);
          expect(decision.remaining).toBeGreaterThanOrEqual(0);
          expect(decision.remaining).toBeLessThanOrEqual(rule.capacity);
          if (decision.allowed) {
            expect(decision.retryAfter).toBe(0);
            return;
          }
          if (cost > rule.capacity) {
            expect(decision.retryAfter).toBe(RETRY_NEVER);
            return;
          }
          expect(takeTokens(state, rule, cost, now + decision.retryAfter).decision.allowed).toBe(true);
          if (decision.retryAfter > 1) {
            expect(takeTokens(state, rule, cost, now + decision.retryAfter - 1).decision.allowed).toBe(false);
          }
        },
      ),
      { numRuns: 3_000 },
    );
  });
});
