import * as api from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { MeterProvider, MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { TelemetryOptions } from '../../src/index';

/** A reader collected on demand: no export timer in tests. */
class OnDemandReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

let isContextManagerSet = false;

/** The OTel SDK with in-memory exporters, handed to a server through its `telemetry` option. */
export function createTestTelemetry(): {
  readonly telemetry: TelemetryOptions;
  readonly tracer: api.Tracer;
  spans(name?: string): ReadableSpan[];
  metrics(): Promise<ResourceMetrics>;
} {
  // Parenting by the active span (a backend's span around `rt.publish`) needs a context manager.
  if (!isContextManagerSet) {
    api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    isContextManagerSet = true;
  }
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const reader = new OnDemandReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  return {
    telemetry: { api, tracerProvider, meterProvider },
    tracer: tracerProvider.getTracer('test'),
    spans: (name) => exporter.getFinishedSpans().filter((span) => name === undefined || span.name === name),
    async metrics() {
      const { resourceMetrics } = await reader.collect();
      return resourceMetrics;
    },
  };
}

/** The `traceparent` of a span, as a client would send it. */
export function traceparentOf(span: { spanContext(): api.SpanContext }): string {
  const { traceId, spanId, traceFlags } = span.spanContext();
  return `00-${traceId}-${spanId}-0${traceFlags}`;
}
