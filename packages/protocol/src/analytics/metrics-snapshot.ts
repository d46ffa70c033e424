import {
  checkNumber,
  createSchema,
  fail,
  type IssuePath,
  type IssueSink,
  isPlainObject,
  type OxiditeSchema,
} from './schema-kit';

/** Minutes covered by {@link MetricsSnapshot.perMinute} (and by the windowed counts). */
export const METRICS_WINDOW_MINUTES = 60;

/** Events counted in one wall-clock minute. */
export interface MinuteCount {
  /** Start of the minute, in ms since the epoch (a multiple of 60,000). */
  readonly minute: number;
  /** Events whose time fell in that minute. */
  readonly count: number;
}

/**
 * Live metrics, published on `analytics:metrics`. Every count covers the retained window (the
 * last 60 minute buckets, the current one included) except `activeUsers`, which covers the last
 * `activeWindowMs`.
 */
export interface MetricsSnapshot {
  /** When the snapshot was taken (ms since the epoch, the server's clock). */
  readonly at: number;
  /** Events of type `page_view` in the window. */
  readonly pageViews: number;
  /** Distinct visitors (`userId`, else `sessionId`) seen in the window. */
  readonly uniqueVisitors: number;
  /** Distinct visitors seen within the last `activeWindowMs`. */
  readonly activeUsers: number;
  /** The span of `activeUsers`, in ms. */
  readonly activeWindowMs: number;
  /** Events in the window by type; rare types past the store's cap are summed under `other`. */
  readonly eventCounts: Readonly<Record<string, number>>;
  /** Events per minute over the last 60 minutes, oldest first, minutes without events as 0. */
  readonly perMinute: readonly MinuteCount[];
}

function checkCount(value: unknown, path: IssuePath, issues: IssueSink): number | undefined {
  return checkNumber(value, path, issues, 0, true);
}

function checkEventCounts(value: unknown, path: IssuePath, issues: IssueSink): Record<string, number> | undefined {
  if (!isPlainObject(value)) return fail(issues, path, 'Expected an object');
  const entries: [string, number][] = [];
  for (const key of Object.keys(value)) {
    const count = checkCount(value[key], [...path, key], issues);
    if (count !== undefined) entries.push([key, count]);
  }
  return Object.fromEntries(entries);
}

function checkPerMinute(value: unknown, path: IssuePath, issues: IssueSink): MinuteCount[] | undefined {
  if (!Array.isArray(value)) return fail(issues, path, 'Expected an array');
  if (value.length !== METRICS_WINDOW_MINUTES) {
    return fail(issues, path, `Expected ${METRICS_WINDOW_MINUTES} minutes`);
  }
  const minutes: MinuteCount[] = [];
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    if (!isPlainObject(item)) {
      fail(issues, [...path, i], 'Expected { minute, count }');
      continue;
    }
    const minute = checkNumber(item.minute, [...path, i, 'minute'], issues, 0, true);
    const count = checkCount(item.count, [...path, i, 'count'], issues);
    if (minute !== undefined && count !== undefined) minutes.push({ minute, count });
  }
  return minutes;
}

/** Validates a {@link MetricsSnapshot} (Standard Schema v1, synchronous, no dependencies). */
export const MetricsSnapshotSchema: OxiditeSchema<MetricsSnapshot> = /* @__PURE__ */ createSchema<MetricsSnapshot>(
  (value, path, issues) => {
    if (!isPlainObject(value)) return fail(issues, path, 'Expected a metrics snapshot');
    const at = checkNumber(value.at, [...path, 'at'], issues, 0, false);
    const pageViews = checkCount(value.pageViews, [...path, 'pageViews'], issues);
    const uniqueVisitors = checkCount(value.uniqueVisitors, [...path, 'uniqueVisitors'], issues);
    const activeUsers = checkCount(value.activeUsers, [...path, 'activeUsers'], issues);
    const activeWindowMs = checkNumber(value.activeWindowMs, [...path, 'activeWindowMs'], issues, 1, false);
    const eventCounts = checkEventCounts(value.eventCounts, [...path, 'eventCounts'], issues);
    const perMinute = checkPerMinute(value.perMinute, [...path, 'perMinute'], issues);
    if (
      issues.length > 0 ||
      at === undefined ||
      pageViews === undefined ||
      uniqueVisitors === undefined ||
      activeUsers === undefined ||
      activeWindowMs === undefined ||
      eventCounts === undefined ||
      perMinute === undefined
    ) {
      return undefined;
    }
    return { at, pageViews, uniqueVisitors, activeUsers, activeWindowMs, eventCounts, perMinute };
  },
);
