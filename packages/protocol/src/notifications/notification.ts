/**
 * The notification model shared by server and client: one persisted, per-user inbox entry, and
 * the events that keep every open device of that user in step.
 */

/** One notification in a user's inbox. */
export interface Notification {
  /** A UUIDv7 (RFC 9562) in lowercase hex: sorts by creation time, so it doubles as a cursor. */
  readonly id: string;
  /** The owning user (a principal id). */
  readonly userId: string;
  readonly title: string;
  readonly body: string;
  /** An application-defined kind, e.g. `mention` or `billing.invoice`. */
  readonly category: string;
  /** Application data (JSON), e.g. the link to open. Absent when none was given. */
  readonly data?: unknown | undefined;
  /** Creation time, in ms since the Unix epoch. */
  readonly createdAt: number;
  /** Whether the user has read it. Only ever goes from `false` to `true`. */
  readonly read: boolean;
}

/** What the application gives to send a notification; the server adds the rest. */
export interface NotificationInput {
  readonly title: string;
  readonly body: string;
  readonly category: string;
  readonly data?: unknown | undefined;
}

/**
 * What is published on a user's `notifications:{user}` topic after each change of their inbox.
 *
 * - `created`: a new notification (unread).
 * - `read`: these notifications became read (only those that changed).
 * - `read_all`: every notification of the user became read.
 * - `deleted`: these notifications were deleted (only those that existed).
 *
 * When merging events into local state, keep `read: true` once seen: `read` is monotonic, and a
 * `created` event may reach a device after that device already learnt (from a list) it was read.
 */
export type NotificationEvent =
  | { readonly kind: 'created'; readonly notification: Notification }
  | { readonly kind: 'read'; readonly ids: readonly string[] }
  | { readonly kind: 'read_all' }
  | { readonly kind: 'deleted'; readonly ids: readonly string[] };

/** The `kind` of a {@link NotificationEvent}. */
export type NotificationEventKind = NotificationEvent['kind'];

/** Bounds checked by the notification schemas, in UTF-16 code units unless said otherwise. */
export const NotificationLimits = {
  /** Longest user id. The topic `notifications:{user}` must also stay within the server's topic length. */
  MAX_USER_ID_LENGTH: 128,
  /** Longest title (at least 1 character). */
  MAX_TITLE_LENGTH: 200,
  /** Longest body (may be empty). */
  MAX_BODY_LENGTH: 4_000,
  /** Longest category (at least 1 character). */
  MAX_CATEGORY_LENGTH: 64,
  /** Longest `data`, as serialized JSON. */
  MAX_DATA_LENGTH: 16_384,
  /** Deepest nesting of `data` (the client decodes frames up to 32 levels, envelopes included). */
  MAX_DATA_DEPTH: 16,
  /** Most ids in one `markRead` or `delete` request, and in one `read` or `deleted` event. */
  MAX_IDS: 100,
  /** Largest page of `notifications.list`. */
  MAX_PAGE_SIZE: 100,
  /** Page size of `notifications.list` when the request gives none. */
  DEFAULT_PAGE_SIZE: 20,
} as const;

const ID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const USER_ID_RE = /^[A-Za-z0-9_.@=+~-]+$/;

/** Whether `value` is a notification id: a UUID in lowercase hex (ids are UUIDv7, but any UUID shape passes). */
export function isNotificationId(value: unknown): value is string {
  return typeof value === 'string' && ID_RE.test(value);
}

/**
 * Whether `userId` can own notifications: 1–128 characters of `[A-Za-z0-9_.@=+~-]`, the alphabet of
 * a topic parameter, so that `notifications:{userId}` is a valid topic.
 */
export function isNotificationUserId(userId: unknown): userId is string {
  return (
    typeof userId === 'string' &&
    userId.length > 0 &&
    userId.length <= NotificationLimits.MAX_USER_ID_LENGTH &&
    USER_ID_RE.test(userId)
  );
}

/** The id pattern, for schemas. */
export const NOTIFICATION_ID_PATTERN = { re: ID_RE, expected: 'a notification id (a lowercase UUID)' } as const;

/** The user id pattern, for schemas. */
export const NOTIFICATION_USER_ID_PATTERN = {
  re: USER_ID_RE,
  expected: 'a user id of [A-Za-z0-9_.@=+~-]',
} as const;
