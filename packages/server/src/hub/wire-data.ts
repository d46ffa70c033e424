/**
 * A `data` field the protocol can carry: JSON drops a key whose value is `undefined`, a function
 * or a symbol, and an envelope without `data` fails the client's decoder (`reply.data: required`).
 * Such values travel as `null`, like an RPC handler that returns nothing.
 */
export function wireData(value: unknown): unknown {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol' ? null : value;
}
