import type { StandardSchemaV1 } from '@standard-schema/spec';
import { compileTopicPattern, type TopicPattern } from './topic-name';

/** History retention for a topic: whichever bound is hit first evicts the oldest messages. */
export interface HistoryOptions {
  /** Messages kept per topic. `0` disables history (and thus recovery). @default 100 */
  readonly size?: number | undefined;
  /** Maximum age of a kept message in milliseconds. @default 300_000 (5 minutes) */
  readonly maxAge?: number | undefined;
}

/** Presence options of a topic (`presence: true` is `{ sse: false }`). */
export interface PresenceOptions {
  /**
   * Whether SSE readers count as members. SSE streams are mostly passive readers (dashboards,
   * feeds), so by default they see presence but are not in it; a user with a WebSocket tab is one
   * member either way (presence is per user).
   * @default false
   */
  readonly sse?: boolean | undefined;
}

/** A topic declaration with options; a bare schema is shorthand for `{ schema }`. */
export interface TopicOptions<S extends StandardSchemaV1 = StandardSchemaV1> {
  /** Validates every payload published on the topic (server edge) and received (client). */
  readonly schema: S;
  /** History retention for recovery. @default { size: 100, maxAge: 300_000 } */
  readonly history?: HistoryOptions | undefined;
  /**
   * Whether subscribers are tracked and `presence` events are sent. Presence is per user (per
   * connection for anonymous ones); see {@link PresenceOptions} for SSE readers.
   * @default false
   */
  readonly presence?: boolean | PresenceOptions | undefined;
  /**
   * Name of the pattern parameter that holds the owning user's id: only that user may subscribe
   * (and see presence), and only the server publishes. Patterns starting with `user:{…}` are owned
   * by their first parameter unless `owner: false`.
   * @default the first parameter of `user:{…}` patterns, otherwise none
   */
  readonly owner?: string | false | undefined;
  /**
   * Whether clients may publish on the topic (subject to the authorize hook). `false` makes it a
   * server-to-client feed, like `analytics:metrics`. Owned topics are never client-published.
   * @default true
   */
  readonly clientPublish?: boolean | undefined;
  /**
   * Opt-in latency budget in milliseconds, for feeds that can wait: the server holds the topic's
   * messages for up to this long and delivers them together, so each subscriber's socket gets one
   * write per interval instead of one per message (less CPU per delivery at a steady rate, at the
   * cost of up to this much added latency). Order and recovery are unchanged. Server-side only;
   * `0` delivers every message at once. At most 1000.
   * @default 0
   */
  readonly latencyBudget?: number | undefined;
}

/** A topic map entry: a Standard Schema, or {@link TopicOptions}. */
export type TopicDefinition = StandardSchemaV1 | TopicOptions;

/** A map from topic name or pattern (`user:{id}`) to its definition. */
export type TopicMap = Record<string, TopicDefinition>;

/** Turns a pattern declaration into the template literal type of the topics it matches. */
export type PatternToTemplate<P extends string> = P extends `${infer Head}{${string}}${infer Tail}`
  ? `${Head}${string}${PatternToTemplate<Tail>}`
  : P;

/** Every concrete topic name a topic map accepts. */
export type TopicName<M extends TopicMap> = { [K in keyof M & string]: PatternToTemplate<K> }[keyof M & string];

type SchemaOf<D> = D extends TopicOptions<infer S> ? S : D extends StandardSchemaV1 ? D : never;

/** The definition (or union of definitions) whose pattern matches topic `T`. */
export type DefinitionOf<M extends TopicMap, T extends string> = {
  [K in keyof M & string]: T extends PatternToTemplate<K> ? M[K] : never;
}[keyof M & string];

/** The payload type a subscriber receives on topic `T` (the schema's output). */
export type PayloadOf<M extends TopicMap, T extends string> = StandardSchemaV1.InferOutput<
  SchemaOf<DefinitionOf<M, T>>
>;

/** The payload type a publisher sends on topic `T` (the schema's input). */
export type PublishInputOf<M extends TopicMap, T extends string> = StandardSchemaV1.InferInput<
  SchemaOf<DefinitionOf<M, T>>
>;

/**
 * Declares the topics of an application. Both server and client import the same map, so a
 * publish of the wrong shape is a compile error and, at the edge, a runtime validation error.
 *
 * @example
 * const topics = defineTopics({
 *   'chat:{room}': { schema: z.object({ text: z.string().max(2000) }), presence: true },
 *   'user:{id}': z.object({ title: z.string() }),
 * });
 */
export function defineTopics<const M extends TopicMap>(map: M): M {
  for (const [key, definition] of Object.entries(map)) {
    compileTopicPattern(key);
    // From JavaScript, an entry without a schema started fine and failed every publish later.
    if (!isStandardSchema(topicOptionsOf(definition).schema as TopicDefinition)) {
      throw new TypeError(`topic ${key}: expected a Standard Schema (zod, valibot, arktype…) or { schema, … }`);
    }
  }
  return map;
}

/** What a concrete topic resolved to in a topic map. */
export interface ResolvedTopic {
  /** The declaration that matched, e.g. `user:{id}`. */
  readonly pattern: string;
  readonly schema: StandardSchemaV1;
  readonly options: TopicOptions;
  /** Values of the pattern's parameters, e.g. `{ id: '42' }`. */
  readonly params: Readonly<Record<string, string>>;
}

/** Resolves concrete topics against a topic map: exact names first, then patterns in order. */
export interface TopicRegistry {
  resolve(topic: string): ResolvedTopic | undefined;
  readonly patterns: readonly TopicPattern[];
}

function isStandardSchema(definition: TopicDefinition): definition is StandardSchemaV1 {
  return typeof definition === 'object' && definition !== null && '~standard' in definition;
}

/** Normalises a definition to {@link TopicOptions}. */
export function topicOptionsOf(definition: TopicDefinition): TopicOptions {
  return isStandardSchema(definition) ? { schema: definition } : definition;
}

/** Compiles a topic map for runtime lookups. */
export function createTopicRegistry(map: TopicMap): TopicRegistry {
  const exact = new Map<string, ResolvedTopic>();
  const patterned: { pattern: TopicPattern; options: TopicOptions }[] = [];
  const noParams: Readonly<Record<string, string>> = Object.freeze({});
  for (const [key, definition] of Object.entries(map)) {
    const pattern = compileTopicPattern(key);
    const options = topicOptionsOf(definition);
    if (pattern.params.length === 0) {
      exact.set(key, { pattern: key, schema: options.schema, options, params: noParams });
    } else {
      patterned.push({ pattern, options });
    }
  }
  return {
    patterns: patterned.map((p) => p.pattern),
    resolve(topic) {
      const hit = exact.get(topic);
      if (hit) return hit;
      for (const { pattern, options } of patterned) {
        const params = pattern.match(topic);
        if (params) return { pattern: pattern.source, schema: options.schema, options, params };
      }
      return undefined;
    },
  };
}
