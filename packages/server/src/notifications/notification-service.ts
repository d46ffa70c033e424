import {
  type Notification,
  type NotificationEvent,
  NotificationIdsInputSchema,
  NotificationInputSchema,
  NotificationListInputSchema,
  type NotificationTopic,
  notificationTopic,
} from '@oxidite/protocol';
import type { RpcHandler } from '../hub';
import {
  createNotificationHandlers,
  type NotificationHandlers,
  type NotificationHttpOptions,
} from './notification-http';
import type { NotificationOperations } from './notification-operations';
import { registerNotificationRpc } from './notification-rpc';
import type { NotificationStore } from './notification-store';
import { fitPage } from './page-budget';
import { uuidV7 } from './uuid-v7';
import { checkUserId, parseWith } from './validate';

/**
 * What the notification service needs of a realtime server. A `RealtimeServer` whose topic map
 * includes `notificationTopics` has it; one without them is a compile error here.
 */
export interface NotificationRealtime {
  /** Publishes an event on a user's notification topic. */
  publish(topic: NotificationTopic, data: NotificationEvent): Promise<unknown>;
  /** Registers an RPC handler. */
  rpc(method: string, handler: RpcHandler): void;
}

/** Options of {@link createNotificationService}. */
export interface NotificationServiceOptions extends NotificationHttpOptions {
  /** Where notifications are kept (memory, `@oxidite/server/sqlite`, `@oxidite/server/postgres`). */
  readonly store: NotificationStore;
  /**
   * The realtime server that delivers events live. Its topic map must include `notificationTopics`
   * (`defineTopics({ ...appTopics, ...notificationTopics })`), and its method map should include
   * `notificationMethods` so requests are validated at the edge and typed on the client.
   */
  readonly realtime: NotificationRealtime;
  /** Registers the five `notifications.*` RPC methods on `realtime` now (else call `registerRpc()`). @default true */
  readonly registerRpc?: boolean | undefined;
  /**
   * Receives failures that do not fail the caller: a live publish that failed after the change was
   * stored (devices still catch up through `notifications.list`), and HTTP handler errors (answered 500).
   * @default ignore
   */
  readonly onError?: ((error: unknown, where: string) => void) | undefined;
  /** Clock for `createdAt`, ms since the Unix epoch. @default Date.now */
  readonly now?: (() => number) | undefined;
  /** Id generator; ids must sort by creation time. @default a process-wide UUIDv7 generator */
  readonly generateId?: (() => string) | undefined;
}

/**
 * A per-user notification inbox: durable in its store, delivered live to every connection of the
 * user on every node through `notifications:{user}`.
 */
export interface NotificationService extends NotificationOperations {
  /** Registers the `notifications.*` RPC methods on the realtime server (once; done by default). */
  registerRpc(): void;
  /** Node HTTP handlers of the same operations, for REST apps (authenticated by `authenticate`). */
  readonly handlers: NotificationHandlers;
}

/**
 * Creates the notification service and (by default) registers its RPC methods.
 *
 * Clients start loss-free by subscribing to `notifications:{user}` first and then calling
 * `notifications.list` with `unreadOnly: true`, merging both by id: whatever is sent between the
 * two arrives as an event, and whatever was sent before is in the list.
 *
 * @example
 * const rt = createRealtimeServer({ topics: { ...topics, ...notificationTopics }, methods: notificationMethods, auth });
 * const notifications = createNotificationService({ store: createSqliteNotificationStore({ path: 'app.db' }), realtime: rt });
 * await notifications.send('42', { title: 'New reply', body: 'Ada answered you', category: 'reply', data: { url: '/t/7' } });
 */
export function createNotificationService(options: NotificationServiceOptions): NotificationService {
  const { store, realtime } = options;
  const now = options.now ?? Date.now;
  const generateId = options.generateId ?? uuidV7;
  const onError = options.onError ?? (() => {});
  let isRegistered = false;

  /** Publishes after a stored change; a failure does not undo the change, so it is only reported. */
  async function announce(userId: string, event: NotificationEvent): Promise<void> {
    try {
      await realtime.publish(notificationTopic(userId), event);
    } catch (error) {
      onError(error, `publish notifications:${userId}`);
    }
  }

  async function idsOf(ids: readonly string[]): Promise<readonly string[]> {
    return (await parseWith(NotificationIdsInputSchema, { ids }, 'ids')).ids;
  }

  const operations: NotificationOperations = {
    async send(userId, input) {
      checkUserId(userId);
      const valid = await parseWith(NotificationInputSchema, input, 'notification');
      const notification: Notification = { id: generateId(), userId, ...valid, createdAt: now(), read: false };
      await store.insert(notification);
      await announce(userId, { kind: 'created', notification });
      return notification;
    },
    async list(userId, input) {
      checkUserId(userId);
      const query = await parseWith(NotificationListInputSchema, input, 'list request');
      return fitPage(await store.list(userId, query));
    },
    async markRead(userId, ids) {
      checkUserId(userId);
      const changed = await store.markRead(userId, await idsOf(ids));
      if (changed.length > 0) await announce(userId, { kind: 'read', ids: changed });
      return changed.length;
    },
    async markAllRead(userId) {
      checkUserId(userId);
      const changed = await store.markAllRead(userId);
      if (changed > 0) await announce(userId, { kind: 'read_all' });
      return changed;
    },
    async unreadCount(userId) {
      checkUserId(userId);
      return store.unreadCount(userId);
    },
    async delete(userId, ids) {
      checkUserId(userId);
      const deleted = await store.delete(userId, await idsOf(ids));
      if (deleted.length > 0) await announce(userId, { kind: 'deleted', ids: deleted });
      return deleted.length;
    },
  };
  const service: NotificationService = {
    ...operations,
    registerRpc() {
      if (isRegistered) return;
      isRegistered = true;
      registerNotificationRpc(realtime, operations);
    },
    handlers: createNotificationHandlers(operations, { ...options, onError }),
  };
  if (options.registerRpc ?? true) service.registerRpc();
  return service;
}
