import {
  NotificationCountSchema,
  NotificationLimits,
  type NotificationPage,
  NotificationPageSchema,
} from '@oxidite/protocol';
import { checked } from '../requests/checked';
import type { MessageMeta, Subscription } from '../subscriptions/types';

/**
 * What the inbox uses of a client, untyped: the app's method map need not declare the
 * `notifications.*` methods, so the inbox checks topic events and replies itself.
 */
export interface UntypedClient {
  subscribe(topic: string, handler: (data: unknown, meta: MessageMeta) => void): Subscription;
  rpc(method: string, data: unknown): Promise<unknown>;
}

/** The `notifications.*` RPCs of one inbox, replies checked against the protocol's schemas. */
export interface InboxRequests {
  /** One page, newest first: the first without `before`, else the one older than it. */
  list(before: string | undefined): Promise<NotificationPage>;
  /** The user's unread notifications, loaded or not. */
  unreadCount(): Promise<number>;
  /** `notifications.markRead`, 100 ids per request. */
  markRead(ids: readonly string[]): Promise<void>;
  /** `notifications.markAllRead`. */
  markAllRead(): Promise<void>;
  /** `notifications.delete`, 100 ids per request. */
  remove(ids: readonly string[]): Promise<void>;
}

/** Calls `method` once per 100 ids, the most one request takes. */
async function perHundredIds(client: UntypedClient, method: string, ids: readonly string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += NotificationLimits.MAX_IDS) {
    await client.rpc(method, { ids: ids.slice(i, i + NotificationLimits.MAX_IDS) });
  }
}

/** The requests of an inbox whose pages hold `pageSize` notifications. */
export function createInboxRequests(client: UntypedClient, pageSize: number): InboxRequests {
  return {
    async list(before) {
      const request = { unreadOnly: false, limit: pageSize, ...(before === undefined ? {} : { before }) };
      const reply = await client.rpc('notifications.list', request);
      return checked(NotificationPageSchema, reply, 'notifications.list reply', (page) => page as NotificationPage);
    },
    async unreadCount() {
      const reply = await client.rpc('notifications.unreadCount', {});
      return checked(NotificationCountSchema, reply, 'notifications.unreadCount reply', (value) => {
        return (value as { readonly count: number }).count;
      });
    },
    markRead: (ids) => perHundredIds(client, 'notifications.markRead', ids),
    markAllRead: async () => {
      await client.rpc('notifications.markAllRead', {});
    },
    remove: (ids) => perHundredIds(client, 'notifications.delete', ids),
  };
}
