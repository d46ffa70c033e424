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

/** {@link TelemetryOptions} with the OpenTelemetry types its fields stand for (internal). */
export interface OpenTelemetry {
  readonly api: OpenTelemetryApi;
  readonly tracerProvider?: otel.TracerProvider | undefined;
  readonly meterProvider?: otel.MeterProvider | false | undefined;
}

/**
 * OpenTelemetry traces and metrics (`telemetry` option). The fields are typed loosely (`object`)
 * so that the published types never name `@opentelemetry/api`: it is an optional peer, and an app
 * that does not install it must still compile, `skipLibCheck: false` included.
 * @example
 * import * as api from '@opentelemetry/api';
 * createRealtimeServer({ topics, telemetry: { api } });
 */
export interface TelemetryOptions {
  /** The OpenTelemetry API module (`@opentelemetry/api` ^1.3): `import * as api from '@opentelemetry/api'`. */
  readonly api: object;
  /** Where spans go: an OpenTelemetry `TracerProvider`. @default the global provider (`api.trace.getTracerProvider()`) */
  readonly tracerProvider?: object | undefined;
  /** Where metrics go: an OpenTelemetry `MeterProvider`; `false` sends none (traces only). @default the global provider (`api.metrics.getMeterProvider()`) */
  readonly meterProvider?: object | false | undefined;
}

/** The options as the OpenTelemetry objects they hold (the API module and providers the app passed). */
export function openTelemetryOf(options: TelemetryOptions): OpenTelemetry {
  return options as OpenTelemetry;
}
