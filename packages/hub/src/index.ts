/**
 * @oxidite/hub — a standalone real-time server that any backend publishes to over HTTP, built on
 * `@oxidite/server`. Run it with `npx @oxidite/hub`; import it to embed or test it.
 *
 * @example
 * import { hubEnvOf, loadConfig, startHub } from '@oxidite/hub';
 *
 * const { config, source } = loadConfig('oxidite.config.json', process.env);
 * const hub = await startHub({ config, env: hubEnvOf(process.env), source });
 * process.once('SIGTERM', () => hub.close());
 *
 * @module
 */

// Hub
export { startHub } from './hub';
export type { Hub, StartHubOptions } from './hub';

// Configuration
export { CONFIG_FILES, DEFAULT_CONFIG, loadConfig, parseConfig } from './config/load-config';
export { ConfigError } from './config/config-error';
export type { ConfigProblem } from './config/config-error';
export { API_SCOPES, HubConfigSchema } from './config/schema';
export type { ApiKeyConfig, ApiScope, HubConfig, HubConfigInput, TopicConfig } from './config/schema';
export { hubEnvOf, maskedConfig } from './config/mask';
export type { HubEnv } from './config/mask';

// HTTP API
export { hashApiKey } from './api/api-keys';
export { openApiDocument } from './api/openapi';

// Topics declared with JSON Schema
export { createJsonSchemaCompiler } from './topics/json-schema';
export type { JsonSchemaCompiler } from './topics/json-schema';

// Logs
export { createJsonLogger } from './log';
export type { LineSink, LogLevel } from './log';
