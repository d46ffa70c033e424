import { ErrorCode, isRealtimeError, validateWith, type Rpc } from '@oxidite/protocol';
import type { Connection } from './connection';
import type { HubContext } from './hub-context';
import { wireData } from './wire-data';

/** Handles an `rpc`: validate input (when the method map declares it), call, reply. */
export async function callRpc(context: HubContext, connection: Connection, request: Rpc): Promise<void> {
  const { id, method } = request;
  const handler = context.rpc.get(method);
  if (!handler) return connection.error(id, ErrorCode.UNKNOWN_METHOD, `unknown method: ${method}`);
  let data = request.data;
  const definition = context.methods?.[method];
  if (definition) {
    const result = await validateWith(definition.input, data);
    if (!result.ok) return connection.error(id, ErrorCode.INVALID, `invalid ${method} input: ${result.message}`);
    data = result.value;
  }
  try {
    const reply = await handler(data, { connection: connection.info(), principal: connection.principal });
    connection.send({ type: 'reply', id, data: wireData(reply) });
  } catch (error) {
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
}
