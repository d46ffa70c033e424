import {
  type Check,
  checkNumber,
  checkString,
  createSchema,
  fail,
  type IssuePath,
  type IssueSink,
  isPlainObject,
  type OxiditeSchema,
} from './schema-kit';

/** Size limits of analytics events, enforced by {@link AnalyticsEventSchema}. */
export const AnalyticsLimit = {
  /** Longest event `type`. */
  MAX_TYPE_LENGTH: 64,
  /** Longest `userId` or `sessionId`. */
  MAX_ID_LENGTH: 128,
  /** Most keys in `properties`. */
  MAX_PROPERTIES: 32,
  /** Longest property key. */
  MAX_PROPERTY_KEY_LENGTH: 64,
  /** Longest string property value. */
  MAX_PROPERTY_STRING_LENGTH: 512,
  /** Most events in one batch. */
  MAX_BATCH_EVENTS: 500,
} as const;

/** A property value: a flat JSON scalar, so events stay cheap to store and aggregate. */
export type AnalyticsPropertyValue = string | number | boolean | null;

/** Event properties: at most 32 keys of up to 64 characters; strings up to 512 characters. */
export type AnalyticsProperties = Readonly<Record<string, AnalyticsPropertyValue>>;

/** One tracked event, as stored and aggregated. */
export interface AnalyticsEvent {
  /** What happened: 1–64 of `A-Z a-z 0-9 _ . : -`, e.g. `page_view`, `signup`, `cart:add`. */
  readonly type: string;
  /** The signed-in user (1–128 characters), if known. */
  readonly userId?: string;
  /** The browser session (1–128 characters), for visitors who are not signed in. */
  readonly sessionId?: string;
  /** Flat properties of the event. */
  readonly properties: AnalyticsProperties;
  /** When it happened, in ms since the epoch (the sender's clock). */
  readonly timestamp: number;
}

/** What {@link AnalyticsEventSchema} accepts: `properties` may be left out (it becomes `{}`). */
export interface AnalyticsEventInput extends Omit<AnalyticsEvent, 'properties'> {
  readonly properties?: AnalyticsProperties;
}

/** A batch of 1–500 events: the body a tracker sends. */
export interface AnalyticsBatch {
  readonly events: readonly AnalyticsEvent[];
}

/** What {@link AnalyticsBatchSchema} accepts. */
export interface AnalyticsBatchInput {
  readonly events: readonly AnalyticsEventInput[];
}

const EVENT_TYPE = /^[A-Za-z0-9_.:-]+$/;

function checkProperties(value: unknown, path: IssuePath, issues: IssueSink): AnalyticsProperties | undefined {
  if (value === undefined) return {};
  if (!isPlainObject(value)) return fail(issues, path, 'Expected an object');
  const keys = Object.keys(value);
  if (keys.length > AnalyticsLimit.MAX_PROPERTIES) {
    return fail(issues, path, `Too many properties: at most ${AnalyticsLimit.MAX_PROPERTIES}`);
  }
  const entries: [string, AnalyticsPropertyValue][] = [];
  for (const key of keys) {
    if (key.length === 0 || key.length > AnalyticsLimit.MAX_PROPERTY_KEY_LENGTH) {
      fail(issues, [...path, key], `Property keys are 1–${AnalyticsLimit.MAX_PROPERTY_KEY_LENGTH} characters`);
      continue;
    }
    const item = value[key];
    if (typeof item === 'string') {
      if (item.length > AnalyticsLimit.MAX_PROPERTY_STRING_LENGTH) {
        fail(issues, [...path, key], `Too long: at most ${AnalyticsLimit.MAX_PROPERTY_STRING_LENGTH} characters`);
        continue;
      }
    } else if (typeof item === 'number') {
      if (!Number.isFinite(item)) {
        fail(issues, [...path, key], 'Expected a finite number');
        continue;
      }
    } else if (item !== null && typeof item !== 'boolean') {
      fail(issues, [...path, key], 'Expected a string, number, boolean or null');
      continue;
    }
    entries.push([key, item]);
  }
  // fromEntries defines own data properties: a `__proto__` key stays a plain key.
  return Object.fromEntries(entries);
}

function checkOptionalId(value: unknown, path: IssuePath, issues: IssueSink): string | undefined | false {
  if (value === undefined) return undefined;
  const id = checkString(value, path, issues, 1, AnalyticsLimit.MAX_ID_LENGTH);
  return id === undefined ? false : id;
}

/** Validates one event at `path`; unknown fields are dropped. */
export const checkAnalyticsEvent: Check<AnalyticsEvent> = (value, path, issues) => {
  if (!isPlainObject(value)) return fail(issues, path, 'Expected an event object');
  const before = issues.length;
  const type = checkString(value.type, [...path, 'type'], issues, 1, AnalyticsLimit.MAX_TYPE_LENGTH);
  if (type !== undefined && !EVENT_TYPE.test(type)) {
    fail(issues, [...path, 'type'], 'Invalid event type: use A-Z a-z 0-9 _ . : -');
  }
  const userId = checkOptionalId(value.userId, [...path, 'userId'], issues);
  const sessionId = checkOptionalId(value.sessionId, [...path, 'sessionId'], issues);
  const properties = checkProperties(value.properties, [...path, 'properties'], issues);
  const timestamp = checkNumber(value.timestamp, [...path, 'timestamp'], issues, 0, false);
  if (issues.length > before || type === undefined || properties === undefined || timestamp === undefined) {
    return undefined;
  }
  const event: { -readonly [K in keyof AnalyticsEvent]: AnalyticsEvent[K] } = { type, properties, timestamp };
  if (typeof userId === 'string') event.userId = userId;
  if (typeof sessionId === 'string') event.sessionId = sessionId;
  return event;
};

/**
 * Validates one analytics event (Standard Schema v1, synchronous, no dependencies): the output
 * holds only the declared fields, with `properties` defaulting to `{}`.
 *
 * @example
 * const result = AnalyticsEventSchema['~standard'].validate({ type: 'page_view', timestamp: Date.now() });
 * if (result.issues) report(result.issues); else send(result.value);
 */
export const AnalyticsEventSchema: OxiditeSchema<AnalyticsEventInput, AnalyticsEvent> =
  /* @__PURE__ */ createSchema(checkAnalyticsEvent);

/** Validates a batch body, `{ events: [...] }` with 1–500 events; issue paths read `events[3].type`. */
export const AnalyticsBatchSchema: OxiditeSchema<AnalyticsBatchInput, AnalyticsBatch> = /* @__PURE__ */ createSchema(
  (value, path, issues) => {
    if (!isPlainObject(value)) return fail(issues, path, 'Expected an object with `events`');
    const list = value.events;
    const at = [...path, 'events'];
    if (!Array.isArray(list)) return fail(issues, at, 'Expected an array of events');
    if (list.length === 0) return fail(issues, at, 'Expected at least 1 event');
    if (list.length > AnalyticsLimit.MAX_BATCH_EVENTS) {
      return fail(issues, at, `Too many events: at most ${AnalyticsLimit.MAX_BATCH_EVENTS}`);
    }
    const events: AnalyticsEvent[] = [];
    for (let i = 0; i < list.length; i++) {
      const event = checkAnalyticsEvent(list[i], [...at, i], issues);
      if (event) events.push(event);
    }
    return issues.length > 0 ? undefined : { events };
  },
);
