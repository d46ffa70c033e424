import { ErrorCode, type ClientEnvelope, type Rpc } from '@oxidite/protocol';
import type { Connection } from './connection';
import type { HubContext } from './hub-context';
import { type ClientPublish, publishFromClient } from './publish';
import { refreshToken } from './refresh';
import { callRpc } from './rpc';
import { subscribe, unsubscribe } from './subscribe';

/**
 * Routes one decoded client envelope. Subscribe, unsubscribe and publish run in arrival order
 * per connection (a publish after a subscribe sees the subscription); RPCs run concurrently.
 */
export function dispatch(
  context: HubContext,
  connection: Connection,
  envelope: ClientEnvelope | ClientPublishFrame,
): void {
  if (envelope.type === 'ping') {
    connection.send({ type: 'pong' });
    return;
  }
  if (envelope.type === 'rpc' && !context.tracing) {
    // Most handlers answer at once: such a request is over before it could count as in flight.
    let pending: Promise<void> | undefined;
    try {
      pending = callRpc(context, connection, envelope);
    } catch (error) {
      fail(context, connection, envelope, error);
    }
    if (pending) track(context, connection, envelope, pending);
    return;
  }
  let pending: Promise<void>;
  if (envelope.type === 'rpc') {
    pending = traced(context, connection, envelope);
  } else if (envelope.type === 'auth') {
    pending = refreshToken(context, connection, envelope);
  } else {
    pending = (connection.chain ?? Promise.resolve()).then(() => ordered(context, connection, envelope));
  }
  track(context, connection, envelope, pending);
}

/**
 * Counts a request in flight until `pending` settles. Backpressure, not refusal (issue #15,
 * item 5): at the cap the transport stops reading the socket, and resumes once half of the
 * requests are done. Frames already read when it paused (at most one socket read) are still
 * taken, so the overshoot is bounded by the read size.
 */
function track(
  context: HubContext,
  connection: Connection,
  envelope: Exclude<ClientEnvelope, { type: 'ping' }> | ClientPublishFrame,
  pending: Promise<void>,
): void {
  const { maxInflight } = context.limits;
  if (++connection.inflight >= maxInflight) connection.peer.pauseReading();
  const done = (): void => {
    const inflight = --connection.inflight;
    // An idle connection keeps no settled promise around (idle memory per connection counts).
    if (inflight === 0) connection.chain = undefined;
    if (inflight <= maxInflight >> 1) connection.peer.resumeReading();
  };
  const settled = pending.catch((error: unknown) => fail(context, connection, envelope, error)).finally(done);
  // Ordered requests wait for the previous one to be answered, failures included.
  if (envelope.type !== 'rpc' && envelope.type !== 'auth') connection.chain = settled;
}

/** An RPC inside its `rt.rpc` span (tracing on). */
async function traced(context: HubContext, connection: Connection, request: Rpc): Promise<void> {
  await context.tracing?.rpc(connection, request.method, async () => {
    await callRpc(context, connection, request);
  });
}

/** A request that failed unexpectedly: reported, and answered as `internal`. */
function fail(
  context: HubContext,
  connection: Connection,
  envelope: Exclude<ClientEnvelope, { type: 'ping' }> | ClientPublishFrame,
  error: unknown,
): void {
  context.reportError(error, `${envelope.type} request`);
  const id = 'id' in envelope ? envelope.id : undefined;
  connection.error(id, ErrorCode.INTERNAL, `${envelope.type} failed`);
}

/** A decoded binary `publish` (data is raw bytes). */
export type ClientPublishFrame = { readonly type: 'publish' } & ClientPublish;

function ordered(
  context: HubContext,
  connection: Connection,
  envelope: Exclude<ClientEnvelope, { type: 'rpc' | 'auth' | 'ping' }> | ClientPublishFrame,
): Promise<void> | void {
  // Tracing off: one check per request, and a client's `traceparent` goes no further.
  const { tracing } = context;
  switch (envelope.type) {
    case 'subscribe':
      if (!tracing) return subscribe(context, connection, envelope);
      return tracing.subscribe(connection, envelope.topic, envelope.since, () =>
        subscribe(context, connection, envelope),
      );
    case 'unsubscribe':
      return unsubscribe(context, connection, envelope);
    case 'publish':
      if (!tracing) return publishFromClient(context, connection, envelope);
      return tracing.clientPublish(connection, envelope, (traceparent) =>
        publishFromClient(context, connection, envelope, traceparent),
      );
  }
}
