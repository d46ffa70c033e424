import {
  type MethodInput,
  type MethodOutput,
  type Notification,
  type NotificationEvent,
  NotificationEventSchema,
  NotificationIdsInputSchema,
  NotificationInputSchema,
  NotificationLimits,
  NotificationListInputSchema,
  NotificationPageSchema,
  type NotificationMethods,
  type NotificationTopics,
  type PayloadOf,
  type StandardSchemaV1,
  createTopicRegistry,
  notificationMethods,
  notificationTopic,
  notificationTopics,
} from '@oxidite/protocol';
import { describe, expect, expectTypeOf, it } from 'vitest';

const validate = <S extends StandardSchemaV1>(schema: S, value: unknown) =>
  schema['~standard'].validate(value) as StandardSchemaV1.Result<StandardSchemaV1.InferOutput<S>>;

const notification: Notification = {
  id: '0192f0c4-6f5e-7a3b-9c1d-2e3f4a5b6c7d',
  userId: 'alice',
  title: 'Hi',
  body: '',
  category: 'mention',
  createdAt: 1_700_000_000_000,
  read: false,
};

describe('notification schemas (Standard Schema v1, no zod)', () => {
  it('are vendor oxidite, version 1', () => {
    expect(NotificationEventSchema['~standard']).toMatchObject({ version: 1, vendor: 'oxidite' });
  });

  it('accept every event kind and strip unknown keys', () => {
    const events: NotificationEvent[] = [
      { kind: 'created', notification: { ...notification, data: { url: '/x' } } },
      { kind: 'read', ids: [notification.id] },
      { kind: 'read_all' },
      { kind: 'deleted', ids: [] },
    ];
    for (const event of events) expect(validate(NotificationEventSchema, event)).toEqual({ value: event });
    expect(validate(NotificationEventSchema, { kind: 'read_all', extra: 1 })).toEqual({ value: { kind: 'read_all' } });
  });

  it('report issues with paths', () => {
    const bad = validate(NotificationEventSchema, {
      kind: 'created',
      notification: { ...notification, id: 'NOT-A-UUID', read: 'no' },
    });
    expect(bad.issues?.map((issue) => issue.path)).toEqual([
      ['notification', 'id'],
      ['notification', 'read'],
    ]);
    expect(validate(NotificationEventSchema, { kind: 'exploded' }).issues?.[0]).toMatchObject({ path: ['kind'] });
    expect(validate(NotificationEventSchema, null).issues).toHaveLength(1);
    const tooMany = Array.from({ length: 101 }, () => notification.id);
    expect(validate(NotificationEventSchema, { kind: 'read', ids: tooMany }).issues?.[0]?.message).toMatch(/100/);
  });

  it('bound the input, and give back data as its JSON round trip', () => {
    const ok = validate(NotificationInputSchema, {
      title: 'T',
      body: 'B',
      category: 'c',
      data: { at: new Date(0), skip: undefined },
    });
    expect(ok).toEqual({ value: { title: 'T', body: 'B', category: 'c', data: { at: '1970-01-01T00:00:00.000Z' } } });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const deep = JSON.parse(`${'['.repeat(17)}${']'.repeat(17)}`);
    const cases: [string, unknown][] = [
      ['title', { title: '', body: '', category: 'c' }],
      ['title', { title: 'x'.repeat(NotificationLimits.MAX_TITLE_LENGTH + 1), body: '', category: 'c' }],
      ['body', { title: 't', body: 'x'.repeat(NotificationLimits.MAX_BODY_LENGTH + 1), category: 'c' }],
      ['title', { title: 'nul\u0000', body: '', category: 'c' }],
      ['body', { title: 't', body: 'lone \ud800', category: 'c' }],
      ['data', { title: 't', body: '', category: 'c', data: cyclic }],
      ['data', { title: 't', body: '', category: 'c', data: 10n }],
      ['data', { title: 't', body: '', category: 'c', data: deep }],
      ['data', { title: 't', body: '', category: 'c', data: 'x'.repeat(NotificationLimits.MAX_DATA_LENGTH) }],
    ];
    for (const [field, input] of cases) {
      expect(validate(NotificationInputSchema, input).issues?.[0]?.path, field).toEqual([field]);
    }
  });

  it('apply list defaults and accept a missing request', () => {
    expect(validate(NotificationListInputSchema, undefined)).toEqual({ value: { unreadOnly: false, limit: 20 } });
    expect(validate(NotificationListInputSchema, { limit: 100, before: notification.id, unreadOnly: true })).toEqual({
      value: { limit: 100, before: notification.id, unreadOnly: true },
    });
    for (const bad of [{ limit: 0 }, { limit: 101 }, { limit: 1.5 }, { before: 'x' }, { unreadOnly: 'yes' }, 'x']) {
      expect(validate(NotificationListInputSchema, bad).issues).toBeDefined();
    }
    expect(validate(NotificationIdsInputSchema, { ids: [] })).toEqual({ value: { ids: [] } });
    expect(validate(NotificationPageSchema, { items: [notification], next: notification.id }).issues).toBeUndefined();
  });

  it('declare an owned topic with history, and five methods', () => {
    const resolved = createTopicRegistry(notificationTopics).resolve(notificationTopic('alice'));
    expect(resolved).toMatchObject({
      params: { user: 'alice' },
      options: { owner: 'user', history: { size: 100, maxAge: 600_000 } },
    });
    expect(Object.keys(notificationMethods).sort()).toEqual([
      'notifications.delete',
      'notifications.list',
      'notifications.markAllRead',
      'notifications.markRead',
      'notifications.unreadCount',
    ]);
    expect(() => notificationTopic('a:b')).toThrow(TypeError);
    expect(() => notificationTopic('')).toThrow(TypeError);
  });

  it('type the topic payload and the methods', () => {
    expectTypeOf<PayloadOf<NotificationTopics, 'notifications:42'>>().toEqualTypeOf<NotificationEvent>();
    expectTypeOf(notificationTopic('1')).toEqualTypeOf<`notifications:${string}`>();
    expectTypeOf<MethodInput<NotificationMethods, 'notifications.list'>>().toMatchTypeOf<{
      limit?: number | undefined;
    }>();
    expectTypeOf<StandardSchemaV1.InferOutput<typeof NotificationListInputSchema>['limit']>().toEqualTypeOf<number>();
    expectTypeOf<MethodOutput<NotificationMethods, 'notifications.markRead'>>().toEqualTypeOf<{
      readonly updated: number;
    }>();
    expectTypeOf<MethodOutput<NotificationMethods, 'notifications.list'>['items']>().toEqualTypeOf<
      readonly Notification[]
    >();
  });
});
