import {
  atLeast,
  createSchema,
  fail,
  type Guard,
  list,
  nonEmpty,
  object,
  optional,
  type OxiditeSchema,
  record,
  text,
  withDefault,
} from '../validation/guards';

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
  readonly userId?: string | undefined;
  /** The browser session (1–128 characters), for visitors who are not signed in. */
  readonly sessionId?: string | undefined;
  /** Flat properties of the event. */
  readonly properties: AnalyticsProperties;
  /** When it happened, in ms since the epoch (the sender's clock). */
  readonly timestamp: number;
}

/** What {@link AnalyticsEventSchema} accepts: `properties` may be left out (it becomes `{}`). */
export interface AnalyticsEventInput extends Omit<AnalyticsEvent, 'properties'> {
  readonly properties?: AnalyticsProperties | undefined;
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

/** A flat JSON scalar; a string of at most 512 characters. */
const propertyValue: Guard<AnalyticsPropertyValue> = (value, issues) => {
  if (typeof value === 'string') {
    return value.length > AnalyticsLimit.MAX_PROPERTY_STRING_LENGTH
      ? fail(issues, `expected at most ${AnalyticsLimit.MAX_PROPERTY_STRING_LENGTH} characters`)
      : value;
  }
  if (typeof value === 'number') return Number.isFinite(value) ? value : fail(issues, 'expected a finite number');
  if (value === null || typeof value === 'boolean') return value;
  return fail(issues, 'expected a string, number, boolean or null');
};

const id = /* @__PURE__ */ (() => nonEmpty(text({ max: AnalyticsLimit.MAX_ID_LENGTH })))();

/**
 * Checks one event; unknown fields are dropped and `properties` defaults to `{}`. Built inside an
 * IIFE marked `@__PURE__`, so a bundle that does not use it drops it whole.
 */
const analyticsEvent: Guard<AnalyticsEvent> = /* @__PURE__ */ (() =>
  object<AnalyticsEvent>({
    type: nonEmpty(
      text({
        max: AnalyticsLimit.MAX_TYPE_LENGTH,
        pattern: { re: EVENT_TYPE, expected: 'an event type of A-Z a-z 0-9 _ . : -' },
      }),
    ),
    userId: optional(id),
    sessionId: optional(id),
    properties: withDefault(
      record(propertyValue, {
        maxKeys: AnalyticsLimit.MAX_PROPERTIES,
        key: nonEmpty(text({ max: AnalyticsLimit.MAX_PROPERTY_KEY_LENGTH })),
      }),
      // Frozen: one shared default must not be changed through one event.
      Object.freeze({}),
    ),
    timestamp: atLeast(0),
  }))();

/**
 * Validates one analytics event (Standard Schema v1, synchronous, no dependencies): the output
 * holds only the declared fields, with `properties` defaulting to `{}`.
 *
 * @example
 * const result = AnalyticsEventSchema['~standard'].validate({ type: 'page_view', timestamp: Date.now() });
 * if (result.issues) report(result.issues); else send(result.value);
 */
export const AnalyticsEventSchema: OxiditeSchema<AnalyticsEventInput, AnalyticsEvent> =
  /* @__PURE__ */ createSchema(analyticsEvent);

/** Validates a batch body, `{ events: [...] }` with 1–500 events; issue paths read `events[3].type`. */
export const AnalyticsBatchSchema: OxiditeSchema<AnalyticsBatchInput, AnalyticsBatch> = /* @__PURE__ */ (() =>
  createSchema(object<AnalyticsBatch>({ events: list(analyticsEvent, 1, AnalyticsLimit.MAX_BATCH_EVENTS) })))();
