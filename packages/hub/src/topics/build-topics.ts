import { compileTopicPattern, type TopicDefinition, type TopicMap } from '@oxidite/protocol';
import { ConfigError, type ConfigProblem } from '../config/config-error';
import type { TopicConfig } from '../config/schema';
import { createJsonSchemaCompiler } from './json-schema';

/**
 * Turns the config's topics into the SDK's topic map. Every pattern and every JSON Schema is
 * checked here, so a mistake stops the start with its path instead of failing the first publish.
 *
 * `reserved` (the SDK's notification and analytics topics) come first: the registry resolves a
 * topic to the first declaration that matches, so a broad pattern of the config (`{a}:{b}`, the
 * default config's) must not shadow `notifications:{user}` and lift its owner rule.
 */
export function buildTopics(
  topics: Readonly<Record<string, TopicConfig>>,
  source: string,
  reserved: TopicMap,
): TopicMap {
  const compile = createJsonSchemaCompiler();
  const problems: ConfigProblem[] = [];
  const map: Record<string, TopicDefinition> = { ...reserved };
  for (const [name, topic] of Object.entries(topics)) {
    if (name in reserved) {
      problems.push({ path: `topics.${name}`, expected: 'a name not reserved by the hub', got: 'a reserved topic' });
      continue;
    }
    try {
      compileTopicPattern(name);
    } catch {
      problems.push({
        path: `topics.${name}`,
        expected: 'a topic name or pattern like chat:{room}',
        got: JSON.stringify(name),
      });
      continue;
    }
    try {
      const { schema, ...options } = topic;
      map[name] = { ...options, schema: compile(schema) };
    } catch (error) {
      problems.push({ path: `topics.${name}.schema`, expected: 'a valid JSON Schema', got: (error as Error).message });
    }
  }
  if (problems.length > 0) throw new ConfigError(source, problems);
  return map;
}
