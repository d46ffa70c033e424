import {
  AnalyticsBatchSchema,
  AnalyticsEventSchema,
  analyticsTopics,
  createTopicRegistry,
  describeIssues,
  MetricsSnapshotSchema,
  validateWith,
} from '@oxidite/protocol';
import { describe, expect, it } from 'vitest';
import { createMemoryAnalyticsStore } from '../../src/index';
import { EPOCH } from './support';

const validate = (value: unknown) => AnalyticsEventSchema['~standard'].validate(value);
const messageOf = (value: unknown): string => {
  const result = validate(value);
  return result.issues ? describeIssues(result.issues) : 'valid';
};
const base = { type: 'page_view', timestamp: EPOCH };

describe('analytics schemas (hand-written Standard Schema v1)', () => {
  it('are Standard Schema v1 validators from vendor oxidite, usable by validateWith', async () => {
    expect(AnalyticsEventSchema['~standard']).toMatchObject({ version: 1, vendor: 'oxidite' });
    expect(await validateWith(AnalyticsEventSchema, base)).toMatchObject({ ok: true });
    expect(await validateWith(AnalyticsEventSchema, { ...base, type: '' })).toMatchObject({ ok: false });
  });

  it('keeps only declared fields and defaults properties to {}', () => {
    const result = validate({ ...base, userId: 'u1', extra: 'dropped', properties: { plan: 'pro', n: 2, ok: true } });
    expect(result).toEqual({
      value: { type: 'page_view', userId: 'u1', timestamp: EPOCH, properties: { plan: 'pro', n: 2, ok: true } },
    });
    expect(validate(base)).toEqual({ value: { ...base, properties: {} } });
  });

  it('checks the event type: 1–64 characters of A-Z a-z 0-9 _ . : -', () => {
    expect(messageOf({ ...base, type: 'cart:add.v2-x_y' })).toBe('valid');
    expect(messageOf({ ...base, type: 'x'.repeat(64) })).toBe('valid');
    expect(messageOf({ ...base, type: 'x'.repeat(65) })).toBe('type: expected at most 64 characters');
    expect(messageOf({ ...base, type: '' })).toBe('type: expected at least 1 character');
    expect(messageOf({ ...base, type: 'page view' })).toMatch(/^type: expected an event type/);
    expect(messageOf({ ...base, type: 'é' })).toMatch(/^type: expected an event type/);
    expect(messageOf({ ...base, type: 7 })).toBe('type: expected a string');
  });

  it('checks ids and the timestamp', () => {
    expect(messageOf({ ...base, userId: 'u'.repeat(128), sessionId: 's' })).toBe('valid');
    expect(messageOf({ ...base, userId: 'u'.repeat(129) })).toBe('userId: expected at most 128 characters');
    expect(messageOf({ ...base, sessionId: '' })).toBe('sessionId: expected at least 1 character');
    expect(messageOf({ ...base, userId: null })).toBe('userId: expected a string');
    expect(messageOf({ type: 'x' })).toBe('timestamp: required');
    expect(messageOf({ ...base, timestamp: -1 })).toBe('timestamp: expected a number ≥ 0');
    expect(messageOf({ ...base, timestamp: '2026-01-01' })).toBe('timestamp: expected a finite number');
    expect(messageOf([base])).toBe('expected an object');
    expect(messageOf(null)).toBe('expected an object');
  });

  it('checks properties: flat scalars, at most 32 keys of ≤ 64 characters, strings ≤ 512', () => {
    const many = Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, i]));
    expect(messageOf({ ...base, properties: many })).toBe('properties: expected at most 32 keys');
    expect(messageOf({ ...base, properties: { ['k'.repeat(65)]: 1 } })).toMatch(
      /^properties\.k+: expected at most 64 characters/,
    );
    expect(messageOf({ ...base, properties: { s: 'x'.repeat(512), nil: null } })).toBe('valid');
    expect(messageOf({ ...base, properties: { s: 'x'.repeat(513) } })).toBe(
      'properties.s: expected at most 512 characters',
    );
    expect(messageOf({ ...base, properties: { nested: { a: 1 } } })).toBe(
      'properties.nested: expected a string, number, boolean or null',
    );
    expect(messageOf({ ...base, properties: { list: [1] } })).toMatch(/^properties\.list: expected a string/);
    expect(messageOf({ ...base, properties: { n: Number.NaN } })).toBe('properties.n: expected a finite number');
    expect(messageOf({ ...base, properties: 'x' })).toBe('properties: expected an object');
  });

  it('keeps a `__proto__` property as a plain key, never as a prototype', () => {
    const result = validate(JSON.parse('{"type":"x","timestamp":1,"properties":{"__proto__":"p"}}'));
    if (result.issues) throw new Error('expected valid');
    expect(Object.getPrototypeOf(result.value.properties)).toBe(Object.prototype);
    expect(Object.keys(result.value.properties)).toEqual(['__proto__']);
  });

  it('validates batches of 1–500 events with indexed paths', () => {
    const batch = (events: unknown) => AnalyticsBatchSchema['~standard'].validate({ events });
    expect(batch([base, base]).issues).toBeUndefined();
    expect(batch(Array.from({ length: 500 }, () => base)).issues).toBeUndefined();
    const describe = (events: unknown) => describeIssues(batch(events).issues ?? []);
    expect(describe([])).toBe('events: expected 1 to 500 items');
    expect(describe(Array.from({ length: 501 }, () => base))).toBe('events: expected 1 to 500 items');
    expect(describe([base, { ...base, type: '' }, { type: 'x' }])).toBe(
      'events[1].type: expected at least 1 character; events[2].timestamp: required',
    );
    expect(describe('nope')).toBe('events: expected an array');
  });

  it('validates metrics snapshots, as a store produces them', async () => {
    const store = createMemoryAnalyticsStore();
    await store.record([{ ...base, userId: 'a', properties: {} }], EPOCH);
    const snapshot = await store.snapshot(EPOCH);
    expect(MetricsSnapshotSchema['~standard'].validate(snapshot)).toEqual({ value: snapshot });
    const issues = (value: unknown) => describeIssues(MetricsSnapshotSchema['~standard'].validate(value).issues ?? []);
    expect(issues({ ...snapshot, perMinute: snapshot.perMinute.slice(1) })).toBe('perMinute: expected 60 items');
    expect(issues({ ...snapshot, pageViews: -1 })).toBe('pageViews: expected a non-negative integer');
    expect(issues({ ...snapshot, eventCounts: { a: 1.5 } })).toBe('eventCounts.a: expected a non-negative integer');
  });

  it('declares analytics:metrics with a history of one snapshot', () => {
    const resolved = createTopicRegistry(analyticsTopics).resolve('analytics:metrics');
    expect(resolved?.schema).toBe(MetricsSnapshotSchema);
    expect(resolved?.options.history).toEqual({ size: 1 });
  });
});
