/**
 * Topic names and declared topic patterns such as `user:{id}` or `chat:{room}`.
 *
 * A topic is 1–256 chars of `[A-Za-z0-9_.:@/=+~-]`. Braces are reserved for patterns; a pattern
 * parameter matches one segment: 1+ chars of the topic alphabet except `:` and `/`.
 */

/** Hard upper bound on a topic's length, enforced by the envelope schemas. */
export const MAX_TOPIC_LENGTH = 256;

const TOPIC_RE = /^[A-Za-z0-9_.:@/=+~-]+$/;
const PARAM_RE = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const PARAM_VALUE = '([A-Za-z0-9_.@=+~-]+)';

/** Whether `topic` is a syntactically valid concrete topic name. */
export function isValidTopic(topic: string): boolean {
  return topic.length > 0 && topic.length <= MAX_TOPIC_LENGTH && TOPIC_RE.test(topic);
}

/** A compiled topic pattern. */
export interface TopicPattern {
  /** The declaration, e.g. `user:{id}`. */
  readonly source: string;
  /** Parameter names in order, e.g. `['id']`. */
  readonly params: readonly string[];
  /** Matches a concrete topic and returns its parameters, or `undefined`. */
  match(topic: string): Record<string, string> | undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * Compiles a pattern declaration. A declaration without `{param}` matches only itself.
 * @throws TypeError if the declaration is malformed (a server author's mistake, not peer input).
 */
export function compileTopicPattern(source: string): TopicPattern {
  const params: string[] = [];
  let regex = '^';
  let last = 0;
  for (const m of source.matchAll(PARAM_RE)) {
    const literal = source.slice(last, m.index);
    if (literal && !TOPIC_RE.test(literal)) throw new TypeError(`Invalid topic pattern: ${source}`);
    regex += escapeRegExp(literal) + PARAM_VALUE;
    params.push(m[1] as string);
    last = m.index + m[0].length;
  }
  const tail = source.slice(last);
  if ((tail && !TOPIC_RE.test(tail)) || (!tail && params.length === 0)) {
    throw new TypeError(`Invalid topic pattern: ${source}`);
  }
  if (new Set(params).size !== params.length) throw new TypeError(`Duplicate parameter in topic pattern: ${source}`);
  const re = new RegExp(`${regex}${escapeRegExp(tail)}$`);
  return {
    source,
    params,
    match(topic) {
      const found = re.exec(topic);
      if (!found) return undefined;
      const values: Record<string, string> = {};
      params.forEach((name, i) => {
        values[name] = found[i + 1] as string;
      });
      return values;
    },
  };
}
