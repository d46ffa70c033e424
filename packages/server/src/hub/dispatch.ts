import { ErrorCode, type ClientEnvelope, type Rpc } from '@oxidite/protocol';
import type { Connection } from './connection';
import type { HubContext } from './hub-context';
import { type ClientPublish, publishFromClient } from './publish';
import { refreshToken } from './refresh';
import { callRpc } from './rpc';
import { subscribe, unsubscribe } from './subscribe';

/**
 * Requests read while `maxInflight` were in flight, by connection, started in arrival order as
 * those finish. A WeakMap: an idle connection carries no field for it.
 */
const backlogs = new WeakMap<Connection, (ClientEnvelope | ClientPublishFrame)[]>();

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
  if (connection.inflight >= context.limits.maxInflight) {
    hold(connection, envelope);
    return;
  }
  if (envelope.type === 'rpc') {
    if (context.tracing) track(context, connection, envelope, traced(context, connection, envelope));
    else start(context, connection, envelope, callRpc);
  } else if (envelope.type === 'auth') {
    track(context, connection, envelope, refreshToken(context, connection, envelope));
  } else if (connection.chain) {
    const previous = connection.chain;
    track(
      context,
      connection,
      envelope,
      previous.then(() => ordered(context, connection, envelope)),
    );
  } else {
    // Nothing ordered is pending: this one starts now, not a microtask later.
    start(context, connection, envelope, ordered);
  }
}

type Request = Exclude<ClientEnvelope, { type: 'ping' }> | ClientPublishFrame;

/**
 * Runs a request at once. One that completes synchronously (most RPCs: their handler returned a
 * value) is over before it could count as in flight: no promise, closure or microtask is spent on
 * it (issue #18, goal 2). One that returns a promise is tracked until it settles.
 */
function start<R extends Request>(
  context: HubContext,
  connection: Connection,
  request: R,
  run: (context: HubContext, connection: Connection, request: R) => Promise<void> | undefined | void,
): void {
  let pending: Promise<void> | undefined | void;
  try {
    pending = run(context, connection, request);
  } catch (error) {
    fail(context, connection, request, error);
    return;
  }
  if (pending) track(context, connection, request, pending);
}

/**
 * Backpressure, not refusal (issue #15, item 5): a request past the cap waits, unstarted, and the
 * transport stops reading the socket. Only past the cap: a client that keeps to it (as the
 * announced limit asks) must still be read, or its heartbeat pings would go unanswered and it
 * would drop a healthy connection. Pausing alone is not enough: the frames of one socket read
 * (hundreds of small ones) all arrive after the pause, and each would start a handler.
 */
function hold(connection: Connection, envelope: ClientEnvelope | ClientPublishFrame): void {
  const backlog = backlogs.get(connection);
  if (backlog) backlog.push(envelope);
  else backlogs.set(connection, [envelope]);
  connection.peer.pauseReading();
}

/**
 * Starts held requests, in order, while the connection is under its cap. A closed connection's
 * are dropped unanswered: nobody could read the answers, and its client resends what was not acked.
 */
function startHeld(context: HubContext, connection: Connection): void {
  const backlog = backlogs.get(connection);
  if (!backlog) return;
  if (!connection.peer.isOpen) {
    backlogs.delete(connection);
    return;
  }
  while (connection.inflight < context.limits.maxInflight) {
    const next = backlog.shift();
    if (next === undefined) {
      backlogs.delete(connection);
      return;
    }
    dispatch(context, connection, next);
  }
}

/**
 * Counts a request in flight until `pending` settles; the first slot it frees at the cap starts
 * the held requests, and reading resumes once half are done and none is held.
 */
function track(context: HubContext, connection: Connection, envelope: Request, pending: Promise<void>): void {
  const { maxInflight, requestTimeout } = context.limits;
  connection.inflight++;
  let isDone = false;
  let overdue: ReturnType<typeof setTimeout> | undefined;
  const done = (): void => {
    if (isDone) return;
    isDone = true;
    if (overdue) clearTimeout(overdue);
    if (--connection.inflight === maxInflight - 1) startHeld(context, connection);
    const inflight = connection.inflight;
    // An idle connection keeps no settled promise around (idle memory per connection counts).
    if (inflight === 0) connection.chain = undefined;
    if (inflight <= maxInflight >> 1 && !backlogs.has(connection)) connection.peer.resumeReading();
  };
  // Ordered requests wait for the previous one to be answered, failures included.
  const isOrdered = envelope.type !== 'rpc' && envelope.type !== 'auth';
  if (!runsAppCode(context, isOrdered)) {
    const settled = pending.catch((error: unknown) => fail(context, connection, envelope, error)).finally(done);
    if (isOrdered) connection.chain = settled;
    return;
  }
  // A request that never settles (a hung hook) frees its slot and the ordered ones behind it.
  let release = (): void => {};
  overdue = setTimeout(() => {
    context.reportError(new Error(`${describe(envelope)} did not settle within ${requestTimeout} ms`), envelope.type);
    release();
  }, requestTimeout);
  overdue.unref?.();
  const settled = new Promise<void>((resolve) => {
    release = () => {
      done();
      resolve();
    };
    pending.catch((error: unknown) => fail(context, connection, envelope, error)).finally(release);
  });
  if (isOrdered) connection.chain = settled;
}

/**
 * Whether a request waits on the application's code, which may never settle: an RPC handler or
 * token verifier always; a subscribe or publish only through an `authorize` hook or a filter. The
 * SDK's own broker calls are bounded by the broker, and watching them with a timer each cost 12 %
 * of a client publish's server CPU.
 */
function runsAppCode(context: HubContext, isOrdered: boolean): boolean {
  return !isOrdered || context.authorize !== undefined || context.filter !== undefined;
}

/** What a request was, for a report: its type and method or topic. */
function describe(envelope: Request): string {
  if (envelope.type === 'rpc') return `rpc ${envelope.method}`;
  return 'topic' in envelope ? `${envelope.type} ${envelope.topic}` : envelope.type;
}

/** An RPC inside its `rt.rpc` span (tracing on). */
async function traced(context: HubContext, connection: Connection, request: Rpc): Promise<void> {
  await context.tracing?.rpc(connection, request.method, async () => {
    await callRpc(context, connection, request);
  });
}

/** A request that failed unexpectedly: reported, and answered as `internal`. */
function fail(context: HubContext, connection: Connection, envelope: Request, error: unknown): void {
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
