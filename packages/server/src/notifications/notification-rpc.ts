import {
  ErrorCode,
  NotificationEmptyInputSchema,
  NotificationIdsInputSchema,
  type NotificationListInput,
  RealtimeError,
} from '@oxidite/protocol';
import type { RpcContext, RpcHandler } from '../hub';
import type { NotificationOperations } from './notification-operations';
import { parseWith } from './validate';

/** Where RPC handlers are registered (a `RealtimeServer`). */
export interface RpcRegistrar {
  rpc(method: string, handler: RpcHandler): void;
}

/** The caller's user id; anonymous callers are refused. */
function callerOf(context: RpcContext): string {
  if (!context.principal) throw new RealtimeError(ErrorCode.UNAUTHORIZED, 'notifications need a signed-in user');
  return context.principal.id;
}

/**
 * Registers `notifications.list`, `.markRead`, `.markAllRead`, `.unreadCount` and `.delete`.
 * Each acts on the caller's own notifications (`context.principal.id`) only, and validates its
 * request itself, so it is safe even when the server's method map does not declare the methods.
 */
export function registerNotificationRpc(realtime: RpcRegistrar, operations: NotificationOperations): void {
  // `list` validates its request itself.
  realtime.rpc('notifications.list', (data, context) =>
    operations.list(callerOf(context), data as NotificationListInput | undefined),
  );
  realtime.rpc('notifications.markRead', async (data, context) => {
    const user = callerOf(context);
    const { ids } = await parseWith(NotificationIdsInputSchema, data, 'notifications.markRead request');
    return { updated: await operations.markRead(user, ids) };
  });
  realtime.rpc('notifications.markAllRead', async (data, context) => {
    const user = callerOf(context);
    await parseWith(NotificationEmptyInputSchema, data, 'notifications.markAllRead request');
    return { updated: await operations.markAllRead(user) };
  });
  realtime.rpc('notifications.unreadCount', async (data, context) => {
    const user = callerOf(context);
    await parseWith(NotificationEmptyInputSchema, data, 'notifications.unreadCount request');
    return { count: await operations.unreadCount(user) };
  });
  realtime.rpc('notifications.delete', async (data, context) => {
    const user = callerOf(context);
    const { ids } = await parseWith(NotificationIdsInputSchema, data, 'notifications.delete request');
    return { deleted: await operations.delete(user, ids) };
  });
}
