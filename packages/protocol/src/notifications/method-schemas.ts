import type { StandardSchemaV1 } from '@standard-schema/spec';
import {
  count,
  list,
  boolean,
  createSchema,
  integer,
  object,
  objectOrEmpty,
  optional,
  withDefault,
} from '../validation/guards';
import { type Notification, NotificationLimits as L } from './notification';
import { notification, notificationId, notificationIds } from './notification-schemas';

/** Request of `notifications.list`. A missing request (`undefined` or `null`) means `{}`. */
export interface NotificationListInput {
  /** Only unread notifications. @default false */
  readonly unreadOnly?: boolean | undefined;
  /** Page size, 1–100. @default 20 */
  readonly limit?: number | undefined;
  /** Cursor: only notifications older than this id (the `next` of the previous page). @default newest first */
  readonly before?: string | undefined;
}

/** A `notifications.list` request with its defaults applied: what the handler and the stores get. */
export interface NotificationListOptions {
  readonly unreadOnly: boolean;
  readonly limit: number;
  readonly before?: string | undefined;
}

/** One page of a user's notifications, newest first. */
export interface NotificationPage {
  readonly items: readonly Notification[];
  /** Pass as `before` to get the next (older) page; absent on the last page. */
  readonly next?: string | undefined;
}

/** Request of `notifications.markRead` and `notifications.delete`: at most 100 ids. */
export interface NotificationIdsInput {
  readonly ids: readonly string[];
}

/** A request without fields (`{}`, or no data at all). */
export type NotificationEmptyInput = Readonly<Record<string, never>> | null | undefined;

/** Reply of `notifications.markRead` and `notifications.markAllRead`: how many became read. */
export interface NotificationUpdated {
  readonly updated: number;
}

/** Reply of `notifications.delete`: how many were deleted. */
export interface NotificationDeleted {
  readonly deleted: number;
}

/** Reply of `notifications.unreadCount`. */
export interface NotificationCount {
  readonly count: number;
}

/** Validates a `notifications.list` request and applies its defaults. */
export const NotificationListInputSchema: StandardSchemaV1<NotificationListInput, NotificationListOptions> =
  /* @__PURE__ */ (() =>
    createSchema<NotificationListInput, NotificationListOptions>(
      objectOrEmpty<NotificationListOptions>({
        unreadOnly: withDefault(boolean, false),
        limit: withDefault(integer(1, L.MAX_PAGE_SIZE), L.DEFAULT_PAGE_SIZE),
        before: optional(notificationId),
      }),
    ))();

/** Validates a `notifications.list` reply. */
export const NotificationPageSchema: StandardSchemaV1<NotificationPage> = /* @__PURE__ */ (() =>
  createSchema<NotificationPage>(
    object<NotificationPage>({ items: list(notification, 0, L.MAX_PAGE_SIZE), next: optional(notificationId) }),
  ))();

/** Validates a `notifications.markRead` or `notifications.delete` request. */
export const NotificationIdsInputSchema: StandardSchemaV1<NotificationIdsInput> = /* @__PURE__ */ (() =>
  createSchema<NotificationIdsInput>(object<NotificationIdsInput>({ ids: notificationIds })))();

/** Validates a request without fields; any fields given are ignored. */
export const NotificationEmptyInputSchema: StandardSchemaV1<
  NotificationEmptyInput,
  Record<string, never>
> = /* @__PURE__ */ (() => createSchema<NotificationEmptyInput, Record<string, never>>(objectOrEmpty({})))();

/** Validates the reply of `notifications.markRead` and `notifications.markAllRead`. */
export const NotificationUpdatedSchema: StandardSchemaV1<NotificationUpdated> = /* @__PURE__ */ (() =>
  createSchema<NotificationUpdated>(object<NotificationUpdated>({ updated: count })))();

/** Validates the reply of `notifications.delete`. */
export const NotificationDeletedSchema: StandardSchemaV1<NotificationDeleted> = /* @__PURE__ */ (() =>
  createSchema<NotificationDeleted>(object<NotificationDeleted>({ deleted: count })))();

/** Validates the reply of `notifications.unreadCount`. */
export const NotificationCountSchema: StandardSchemaV1<NotificationCount> = /* @__PURE__ */ (() =>
  createSchema<NotificationCount>(object<NotificationCount>({ count })))();
