import { ErrorCode, isRealtimeError, validateWith, type Rpc } from '@oxidite/protocol';
import type { Connection } from './connection';
import type { HubContext } from './hub-context';
import type { RpcHandler } from './rpc-registry';
import { OutboundEnvelope } from './outbound-message';
import { isDecodable, tooDeep, wireData } from './wire-data';

/**
 * Handles an `rpc`: validate input (when the method map declares it), call, reply. Returns
 * `undefined` when it answered at once, i.e. the validator and the handler returned values: then
 * no promise, closure or microtask is spent on the request and the reply joins this tick's batch
 * (issue #18, goal 2). A promise from either makes the rest asynchronous, settled when answered.
 */
export function callRpc(context: HubContext, connection: Connection, request: Rpc): Promise<void> | undefined {
  const { id, method } = request;
  const handler = context.rpc.get(method);
  if (!handler) {
    connection.error(id, ErrorCode.UNKNOWN_METHOD, `unknown method: ${method}`);
    return undefined;
  }
  const definition = context.methods?.[method];
  if (!definition) return invoke(context, connection, request, handler, request.data);
  const result = validateWith(definition.input, request.data);
  if (result instanceof Promise) {
    return result.then((checked) =>
      checked.ok
        ? invoke(context, connection, request, handler, checked.value)
        : connection.error(id, ErrorCode.INVALID, `invalid ${method} input: ${checked.message}`),
    );
  }
  if (result.ok) return invoke(context, connection, request, handler, result.value);
  connection.error(id, ErrorCode.INVALID, `invalid ${method} input: ${result.message}`);
  return undefined;
}

/** Calls the handler with validated input; answers at once when it returns a value. */
function invoke(
  context: HubContext,
  connection: Connection,
  request: Rpc,
  handler: RpcHandler,
  data: unknown,
): Promise<void> | undefined {
  try {
    const reply = handler(data, { connection: connection.info(), principal: connection.principal });
    if (isThenable(reply)) {
      return Promise.resolve(reply).then(
        (value) => answer(context, connection, request, value),
        (error: unknown) => refuse(context, connection, request, error),
      );
    }
    sendReply(connection, request, reply);
  } catch (error) {
    refuse(context, connection, request, error);
  }
  return undefined;
}

/**
 * Encodes the reply now: one JSON cannot carry (a BigInt, a cycle) throws here, and one nested
 * deeper than clients decode is refused (it would be dropped by the client, and the call would
 * end in a timeout); both are answered as the handler's failure.
 */
function sendReply(connection: Connection, request: Rpc, value: unknown): void {
  const reply = new OutboundEnvelope({ type: 'reply', id: request.id, data: wireData(value) });
  if (!isDecodable(reply.text())) throw new Error(tooDeep(`the reply of ${request.method}`));
  connection.send(reply);
}

function answer(context: HubContext, connection: Connection, request: Rpc, value: unknown): void {
  try {
    sendReply(connection, request, value);
  } catch (error) {
    refuse(context, connection, request, error);
  }
}

/** Answers a handler's failure: a `RealtimeError` as its typed error, anything else as `internal`. */
function refuse(context: HubContext, connection: Connection, request: Rpc, error: unknown): void {
  const { id, method } = request;
  if (isRealtimeError(error)) {
    connection.error(
      id,
      error.code,
      error.message,
      error.retryAfter === undefined ? {} : { retryAfter: error.retryAfter },
    );
  } else {
    // Internals stay on the server: the client learns only that it failed.
    context.reportError(error, `rpc ${method}`);
    connection.error(id, ErrorCode.INTERNAL, `${method} failed`);
  }
}

/** What `await` would wait for: any object or function with a `then` method. */
function isThenable(value: unknown): value is PromiseLike<unknown> {
  const isHolder = (typeof value === 'object' && value !== null) || typeof value === 'function';
  return isHolder && typeof (value as { then?: unknown }).then === 'function';
}
