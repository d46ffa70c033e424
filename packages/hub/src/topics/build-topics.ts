import { compileTopicPattern, type TopicMap, type TopicOptions } from '@oxidite/protocol';
import { ConfigError, type ConfigProblem } from '../config/config-error';
import type { TopicConfig } from '../config/schema';
import { createJsonSchemaCompiler } from './json-schema';

/**
 * Turns the config's topics into the SDK's topic map. Every pattern and every JSON Schema is
 * checked here, so a mistake stops the start with its path instead of failing the first publish.
 */
export function buildTopics(topics: Readonly<Record<string, TopicConfig>>, source: string): TopicMap {
  const compile = createJsonSchemaCompiler();
  const problems: ConfigProblem[] = [];
  const map: Record<string, TopicOptions> = {};
  for (const [name, topic] of Object.entries(topics)) {
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
