import * as api from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { defineTopics } from '@oxidite/protocol';
import { createRealtimeServer } from '@oxidite/server';
import { eventually, hasRedisServer, type RedisServer, requireService, startRedis } from '@oxidite/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { createRedisBroker } from '../src/index';
import { RawClient } from './support/raw-client';

const topics = defineTopics({ 'room:{id}': z.object({ n: z.number().int() }) });

/** One node's own tracer provider and exporter: only the traceparent links the two nodes. */
function nodeTracing() {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  return { exporter, telemetry: { api, tracerProvider, meterProvider: false as const } };
}

describe.skipIf(!requireService('redis-server', hasRedisServer()))('one trace across two nodes on Redis (#23)', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    redis = await startRedis();
  });
  afterAll(() => redis?.stop());

  it('shows rt.publish on node A, then rt.deliver on node B (its socket write batch), in the backend’s trace', async () => {
    const [tracingA, tracingB] = [nodeTracing(), nodeTracing()];
    const brokers = [createRedisBroker({ redis: redis.url }), createRedisBroker({ redis: redis.url })] as const;
    const a = createRealtimeServer({ topics, broker: brokers[0], telemetry: tracingA.telemetry });
    const b = createRealtimeServer({ topics, broker: brokers[1], telemetry: tracingB.telemetry });
    await a.listen(0);
    const addressB = await b.listen(0);
    const subscriber = await RawClient.connect(`ws://127.0.0.1:${addressB.port}/ws`);
    try {
      await subscriber.subscribe('room:1');
      const backend = tracingA.telemetry.tracerProvider.getTracer('backend');
      const root = await backend.startActiveSpan('POST /rooms/1/messages', async (span) => {
        await a.publish('room:1', { n: 1 });
        span.end();
        return span.spanContext();
      });
      expect(await subscriber.next('message')).toMatchObject({ topic: 'room:1', data: { n: 1 } });
      await eventually(
        async () => expect(tracingB.exporter.getFinishedSpans().filter((s) => s.name === 'rt.deliver')).toHaveLength(1),
        'the delivery span on node B',
      );
      const publish = tracingA.exporter.getFinishedSpans().find((s) => s.name === 'rt.publish');
      const deliver = tracingB.exporter.getFinishedSpans().find((s) => s.name === 'rt.deliver');
      expect(publish?.parentSpanContext?.spanId).toBe(root.spanId);
      expect(publish?.spanContext().traceId).toBe(root.traceId);
      expect(deliver?.spanContext().traceId).toBe(root.traceId);
      expect(deliver?.parentSpanContext).toMatchObject({ spanId: publish?.spanContext().spanId, isRemote: true });
      expect(deliver?.attributes).toMatchObject({ 'messaging.destination.name': 'room:1' });
    } finally {
      await subscriber.close();
      await Promise.all([a.close(), b.close()]);
      await Promise.all(brokers.map((broker) => broker.close()));
    }
  });
});
