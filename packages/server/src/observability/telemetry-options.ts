import type * as otel from '@opentelemetry/api';

/**
 * The parts of `@opentelemetry/api` the server uses. The API is injected rather than imported:
 * `@opentelemetry/api` stays an optional peer dependency that a server without telemetry never
 * loads (no `require` to guard, no async start, the same in ESM and CJS), and tests can hand in
 * providers without touching the global ones.
 */
export type OpenTelemetryApi = Pick<
  typeof otel,
  'trace' | 'context' | 'metrics' | 'SpanKind' | 'SpanStatusCode' | 'ROOT_CONTEXT'
>;

/**
 * OpenTelemetry traces and metrics (`telemetry` option).
 * @example
 * import * as api from '@opentelemetry/api';
 * createRealtimeServer({ topics, telemetry: { api } });
 */
export interface TelemetryOptions {
  /** The OpenTelemetry API module: `import * as api from '@opentelemetry/api'`. */
  readonly api: OpenTelemetryApi;
  /** Where spans go. @default the global provider (`api.trace.getTracerProvider()`) */
  readonly tracerProvider?: otel.TracerProvider;
  /** Where metrics go; `false` sends none (traces only). @default the global provider (`api.metrics.getMeterProvider()`) */
  readonly meterProvider?: otel.MeterProvider | false;
}
