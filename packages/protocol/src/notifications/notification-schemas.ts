import type { StandardSchemaV1 } from '@standard-schema/spec';
import {
  boolean,
  count,
  createSchema,
  discriminated,
  type Guard,
  json,
  list,
  nonEmpty,
  object,
  optional,
  storedText,
} from '../validation/guards';
import {
  NOTIFICATION_ID_PATTERN,
  NOTIFICATION_USER_ID_PATTERN,
  type Notification,
  type NotificationEvent,
  type NotificationInput,
  NotificationLimits as L,
} from './notification';

/**
 * Standard Schema v1 validators of notifications, hand-written (no zod) for the browser client.
 * Each module-level value is built inside an IIFE marked `@__PURE__`, so a bundle that does not
 * use it drops it whole.
 */

/** A notification id (a lowercase UUID). */
export const notificationId: Guard<string> = /* @__PURE__ */ (() =>
  storedText({ max: 36, pattern: NOTIFICATION_ID_PATTERN }))();

/** A list of at most 100 notification ids. */
export const notificationIds: Guard<string[]> = /* @__PURE__ */ (() => list(notificationId, 0, L.MAX_IDS))();

const inputFields = /* @__PURE__ */ (() => ({
  title: nonEmpty(storedText({ max: L.MAX_TITLE_LENGTH })),
  body: storedText({ max: L.MAX_BODY_LENGTH }),
  category: nonEmpty(storedText({ max: L.MAX_CATEGORY_LENGTH })),
  data: optional(json({ maxLength: L.MAX_DATA_LENGTH, maxDepth: L.MAX_DATA_DEPTH })),
}))();

/** Checks a stored or received notification. */
export const notification: Guard<Notification> = /* @__PURE__ */ (() =>
  object<Notification>({
    id: notificationId,
    userId: nonEmpty(storedText({ max: L.MAX_USER_ID_LENGTH, pattern: NOTIFICATION_USER_ID_PATTERN })),
    ...inputFields,
    createdAt: count,
    read: boolean,
  }))();

/** Validates a {@link Notification}. */
export const NotificationSchema: StandardSchemaV1<Notification> = /* @__PURE__ */ (() =>
  createSchema<Notification>(notification))();

/**
 * Validates what an application sends: title 1–200 characters, body up to 4,000, category 1–64,
 * `data` any JSON up to 16,384 characters and 16 levels deep. The output's `data` is the value's JSON
 * round trip, i.e. exactly what every store and subscriber will see.
 */
export const NotificationInputSchema: StandardSchemaV1<NotificationInput> = /* @__PURE__ */ (() =>
  createSchema<NotificationInput>(object<NotificationInput>(inputFields)))();

/** Validates a {@link NotificationEvent}, the payload of `notifications:{user}` topics. */
export const NotificationEventSchema: StandardSchemaV1<NotificationEvent> = /* @__PURE__ */ (() =>
  createSchema<NotificationEvent>(
    discriminated<NotificationEvent>({
      created: object({ notification }),
      read: object({ ids: notificationIds }),
      read_all: object({}),
      deleted: object({ ids: notificationIds }),
    }),
  ))();
