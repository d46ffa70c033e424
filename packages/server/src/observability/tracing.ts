import { formatTraceparent, parseTraceparent } from '@oxidite/protocol';
import type { Attributes, Context, Span, SpanKind, Tracer } from '@opentelemetry/api';
import type { CloseInfo, SubscribeInfo } from '../hub';
import type { ConnectionInfo } from '../security';
import type { OpenTelemetry, OpenTelemetryApi } from './telemetry-options';

const SYSTEM = 'oxidite';

/**
 * The server's spans. Exists only when the `telemetry` option is given: everywhere else the hub
 * checks `context.tracing` once per request, and the fan-out is not even wrapped (see
 * {@link traceBroker}). Span names: `rt.connection`, `rt.subscribe`, `rt.rpc`, `rt.publish`
 * (server), `rt.client.publish`, `rt.deliver` (one per message per node).
 */
export class Tracing {
  readonly #api: OpenTelemetryApi;
  readonly #tracer: Tracer;
  /** Open `rt.connection` spans by session id; request spans link to them. */
  readonly #connections = new Map<string, Span>();
  /** Running `rt.subscribe` spans, by session id and topic: the `subscribe` event completes them. */
  readonly #subscribes = new Map<string, Span>();

  constructor(options: OpenTelemetry) {
    this.#api = options.api;
    const provider = options.tracerProvider ?? options.api.trace.getTracerProvider();
    this.#tracer = provider.getTracer('@oxidite/server');
  }

  /** `rt.connection`: from admission to close (attributes: transport, user, close code). */
  opened(connection: ConnectionInfo): void {
    const span = this.#tracer.startSpan(
      'rt.connection',
      {
        kind: this.#api.SpanKind.SERVER,
        attributes: compact({
          'messaging.system': SYSTEM,
          'oxidite.connection.id': connection.id,
          'oxidite.transport': connection.transport,
          'enduser.id': connection.principal?.id,
          'client.address': connection.remoteAddress,
        }),
      },
      this.#api.context.active(),
    );
    this.#connections.set(connection.id, span);
  }

  closed(connection: ConnectionInfo, close: CloseInfo): void {
    const span = this.#connections.get(connection.id);
    if (!span) return;
    this.#connections.delete(connection.id);
    span.setAttributes({ 'oxidite.close.code': close.code, 'oxidite.close.reason': close.reason });
    // 1011 is the server's own failure; every other code is a connection ending as designed.
    if (close.code === 1011) span.setStatus({ code: this.#api.SpanStatusCode.ERROR, message: close.reason });
    span.end();
  }

  /** `rt.subscribe` around a subscribe request; the `subscribe` event adds recovered and replayed. */
  subscribe(
    connection: ConnectionInfo,
    topic: string,
    since: string | undefined,
    run: () => Promise<void>,
  ): Promise<void> {
    const span = this.#request('rt.subscribe', connection, this.#api.SpanKind.SERVER, {
      'messaging.destination.name': topic,
      'messaging.operation.type': 'receive',
      'oxidite.since': since,
    });
    const key = `${connection.id}\n${topic}`;
    this.#subscribes.set(key, span);
    const forget = (): void => {
      // Still there: the request ended without going live (refused, invalid, or the client left).
      if (this.#subscribes.get(key) === span) this.#subscribes.delete(key);
    };
    return this.#finish(span, run(), forget, forget);
  }

  subscribed(connection: ConnectionInfo, info: SubscribeInfo): void {
    const key = `${connection.id}\n${info.topic}`;
    const span = this.#subscribes.get(key);
    if (!span) return;
    this.#subscribes.delete(key);
    span.setAttributes(
      compact({
        'oxidite.offset': info.offset,
        'oxidite.recovered': info.recovered,
        'oxidite.replayed': info.replayed,
      }),
    );
  }

  /** `rt.rpc` around an RPC request. */
  rpc(connection: ConnectionInfo, method: string, run: () => Promise<void>): Promise<void> {
    const span = this.#request('rt.rpc', connection, this.#api.SpanKind.SERVER, {
      'rpc.system': SYSTEM,
      'rpc.method': method,
    });
    return this.#finish(span, run());
  }

  /**
   * `rt.client.publish` around a client's publish, a child of the client's `traceparent` when it
   * sent a readable one; `run` gets this span's own `traceparent` to hand to the broker.
   */
  clientPublish(
    connection: ConnectionInfo,
    request: { readonly topic: string; readonly traceparent?: string | undefined },
    run: (traceparent: string) => Promise<void>,
  ): Promise<void> {
    const parent = this.#remote(request.traceparent);
    const span = this.#request(
      'rt.client.publish',
      connection,
      this.#api.SpanKind.PRODUCER,
      { 'messaging.destination.name': request.topic, 'messaging.operation.type': 'send' },
      parent,
    );
    return this.#finish(span, run(traceparentOf(span)));
  }

  /** `rt.publish` around a server-side publish, a child of the caller's active span. */
  async publish<T extends { readonly offset: string; readonly isDuplicate: boolean }>(
    topic: string,
    run: (traceparent: string) => Promise<T>,
  ): Promise<T> {
    const span = this.#tracer.startSpan(
      'rt.publish',
      {
        kind: this.#api.SpanKind.PRODUCER,
        attributes: {
          'messaging.system': SYSTEM,
          'messaging.destination.name': topic,
          'messaging.operation.type': 'send',
        },
      },
      this.#api.context.active(),
    );
    const result = await this.#finish(span, run(traceparentOf(span)), (value) =>
      span.setAttributes({ 'messaging.message.id': value.offset, 'oxidite.duplicate': value.isDuplicate }),
    );
    return result;
  }

  /**
   * `rt.deliver`: one node's fan-out of one traced message, a child of its publish span (from
   * whichever node). It ends on the next tick, after the transports' per-tick write batches:
   * the span covers the socket writes too.
   */
  deliver(topic: string, offset: string, traceparent: string): () => void {
    const parent = this.#remote(traceparent);
    if (!parent) return noop;
    const span = this.#tracer.startSpan(
      'rt.deliver',
      {
        kind: this.#api.SpanKind.CONSUMER,
        attributes: {
          'messaging.system': SYSTEM,
          'messaging.destination.name': topic,
          'messaging.operation.type': 'process',
          'messaging.message.id': offset,
        },
      },
      parent,
    );
    return () => process.nextTick(endSpan, span);
  }

  #request(name: string, connection: ConnectionInfo, kind: SpanKind, attributes: Fields, parent?: Context): Span {
    const link = this.#connections.get(connection.id);
    return this.#tracer.startSpan(
      name,
      {
        kind,
        attributes: compact({ 'messaging.system': SYSTEM, 'oxidite.connection.id': connection.id, ...attributes }),
        links: link ? [{ context: link.spanContext() }] : [],
      },
      // A request's trace starts at the request (or the client's span), not inside whatever the
      // socket callback happened to run in; the link leads to its connection.
      parent ?? this.#api.ROOT_CONTEXT,
    );
  }

  #remote(traceparent: string | undefined): Context | undefined {
    const parsed = parseTraceparent(traceparent);
    if (!parsed) return undefined;
    return this.#api.trace.setSpanContext(this.#api.ROOT_CONTEXT, {
      traceId: parsed.traceId,
      spanId: parsed.spanId,
      traceFlags: parsed.flags,
      isRemote: true,
    });
  }

  async #finish<T>(span: Span, work: Promise<T>, onValue?: (value: T) => void, always?: () => void): Promise<T> {
    try {
      const value = await work;
      onValue?.(value);
      return value;
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: this.#api.SpanStatusCode.ERROR });
      throw error;
    } finally {
      always?.();
      span.end();
    }
  }
}

function traceparentOf(span: Span): string {
  const { traceId, spanId, traceFlags } = span.spanContext();
  return formatTraceparent({ traceId, spanId, flags: traceFlags });
}

function endSpan(span: Span): void {
  span.end();
}

const noop = (): void => {};

type Fields = Record<string, string | number | boolean | undefined>;

/** Attributes without the undefined ones (OTel drops them with a warning). */
function compact(attributes: Fields): Attributes {
  const out: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) if (value !== undefined) out[key] = value;
  return out;
}
