import { eventually } from '@oxidite/test-utils';
import { describe, expect, it } from 'vitest';
import { type AuthHook, type Broker, createMemoryBroker } from '../../src/index';
import { useTestResources } from '../support/clients';
import { createTestTelemetry, traceparentOf } from '../support/otel';
import { startTestServer } from '../support/test-server';

const t = useTestResources();
const auth: AuthHook = ({ token }) => (token ? { id: token } : null);
const as = (user: string) => ({ headers: { authorization: `Bearer ${user}` } });

describe('OpenTelemetry spans', () => {
  it("continues a client's trace: rt.client.publish under the client's span, rt.deliver under it", async () => {
    const otel = createTestTelemetry();
    const server = t.track(await startTestServer({ telemetry: otel.telemetry }));
    const subscriber = await t.connect(server.url);
    await subscriber.subscribe('chat');
    const publisher = await t.connect(server.url);
    const clientSpan = otel.tracer.startSpan('client.publish');
    publisher.send({
      type: 'publish',
      id: 1,
      topic: 'chat',
      data: { text: 'hi' },
      traceparent: traceparentOf(clientSpan),
    });
    await subscriber.next('message');
    await eventually(async () => expect(otel.spans('rt.deliver')).toHaveLength(1), 'the delivery span');
    const [publish] = otel.spans('rt.client.publish');
    const [deliver] = otel.spans('rt.deliver');
    expect(publish?.parentSpanContext?.spanId).toBe(clientSpan.spanContext().spanId);
    expect(publish?.spanContext().traceId).toBe(clientSpan.spanContext().traceId);
    expect(publish?.attributes).toMatchObject({ 'messaging.destination.name': 'chat', 'messaging.system': 'oxidite' });
    expect(deliver?.parentSpanContext?.spanId).toBe(publish?.spanContext().spanId);
    expect(deliver?.attributes).toMatchObject({
      'messaging.destination.name': 'chat',
      'messaging.message.id': expect.any(String),
    });
    // The request span links to its connection's span.
    expect(publish?.links).toHaveLength(1);
  });

  it('makes rt.publish a child of the caller’s active span', async () => {
    const otel = createTestTelemetry();
    const server = t.track(await startTestServer({ telemetry: otel.telemetry }));
    const subscriber = await t.connect(server.url);
    await subscriber.subscribe('chat');
    const backend = await otel.tracer.startActiveSpan('POST /messages', async (span) => {
      await server.rt.publish('chat', { text: 'from the backend' });
      span.end();
      return span;
    });
    await subscriber.next('message');
    await eventually(async () => expect(otel.spans('rt.deliver')).toHaveLength(1), 'the delivery span');
    const [publish] = otel.spans('rt.publish');
    expect(publish?.parentSpanContext?.spanId).toBe(backend.spanContext().spanId);
    expect(publish?.attributes).toMatchObject({
      'messaging.message.id': expect.any(String),
      'oxidite.duplicate': false,
    });
    expect(otel.spans('rt.deliver')[0]?.parentSpanContext?.spanId).toBe(publish?.spanContext().spanId);
  });

  it('starts a new trace when the client sent an unreadable traceparent, and still publishes', async () => {
    const otel = createTestTelemetry();
    const server = t.track(await startTestServer({ telemetry: otel.telemetry }));
    const client = await t.connect(server.url);
    client.send({ type: 'publish', id: 1, topic: 'chat', data: { text: 'x' }, traceparent: 'not-a-trace' });
    expect(await client.next('ack')).toMatchObject({ id: 1 });
    await eventually(async () => expect(otel.spans('rt.client.publish')).toHaveLength(1), 'the publish span');
    expect(otel.spans('rt.client.publish')[0]?.parentSpanContext).toBeUndefined();
  });

  it('records subscribe with recovery (replayed, recovered), rpc, and the connection with its close code', async () => {
    const otel = createTestTelemetry();
    const server = t.track(await startTestServer({ auth, telemetry: otel.telemetry }));
    server.rt.rpc('echo', (data) => data);
    const first = await server.rt.publish('numbers', { n: 1 });
    await server.rt.publish('numbers', { n: 2 });
    await server.rt.publish('numbers', { n: 3 });
    const client = await t.connect(server.url, as('42'));
    await client.subscribe('numbers', { since: first.offset });
    client.send({ type: 'rpc', id: 9, method: 'echo', data: 1 });
    await client.next('reply');
    server.rt.disconnect('42');
    await client.closed;
    await eventually(async () => expect(otel.spans('rt.connection')).toHaveLength(1), 'the connection span');
    expect(otel.spans('rt.subscribe')[0]?.attributes).toMatchObject({
      'messaging.destination.name': 'numbers',
      'oxidite.since': first.offset,
      'oxidite.recovered': true,
      'oxidite.replayed': 2,
    });
    expect(otel.spans('rt.rpc')[0]?.attributes).toMatchObject({ 'rpc.method': 'echo' });
    expect(otel.spans('rt.connection')[0]?.attributes).toMatchObject({
      'oxidite.transport': 'websocket',
      'enduser.id': '42',
      'oxidite.close.code': 4403,
    });
  });
});

describe('OpenTelemetry metrics', () => {
  it('observes the same counters as the Prometheus exposition', async () => {
    const otel = createTestTelemetry();
    const server = t.track(await startTestServer({ telemetry: otel.telemetry }));
    const client = await t.connect(server.url);
    await client.subscribe('chat');
    await server.rt.publish('chat', { text: 'one' });
    await client.next('message');
    const metrics = (await otel.metrics()).scopeMetrics.flatMap((scope) => scope.metrics);
    const points = (name: string) => metrics.find((metric) => metric.descriptor.name === name)?.dataPoints ?? [];
    expect(points('oxidite.connections')).toContainEqual(
      expect.objectContaining({ attributes: { transport: 'websocket' }, value: 1 }),
    );
    expect(points('oxidite.published.total')[0]?.value).toBe(server.rt.stats().published);
    expect(points('oxidite.subscriptions')[0]?.value).toBe(1);
  });
});

describe('tracing off', () => {
  it('carries no client traceparent to the broker (and wraps nothing)', async () => {
    const memory = createMemoryBroker();
    const seen: unknown[] = [];
    const broker: Broker = {
      ...bind(memory),
      publish: (topic, payload, retention, options) => {
        seen.push(options?.traceparent);
        return memory.publish(topic, payload, retention, options);
      },
    };
    const server = t.track(await startTestServer({ broker }));
    const client = await t.connect(server.url);
    client.send({
      type: 'publish',
      id: 1,
      topic: 'chat',
      data: { text: 'x' },
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    });
    expect(await client.next('ack')).toMatchObject({ id: 1 });
    expect(seen).toEqual([undefined]);
    await memory.close();
  });
});

function bind(broker: Broker): Broker {
  return {
    publish: broker.publish.bind(broker),
    subscribe: broker.subscribe.bind(broker),
    unsubscribe: broker.unsubscribe.bind(broker),
    history: broker.history.bind(broker),
    join: broker.join.bind(broker),
    leave: broker.leave.bind(broker),
    members: broker.members.bind(broker),
    close: broker.close.bind(broker),
  };
}
