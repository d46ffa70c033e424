import type { StandardSchemaV1 } from '@standard-schema/spec';

/** An RPC method: what the caller sends and what the handler returns. */
export interface MethodDefinition<
  I extends StandardSchemaV1 = StandardSchemaV1,
  O extends StandardSchemaV1 = StandardSchemaV1,
> {
  /** Validates the request data at the server edge. */
  readonly input: I;
  /** Validates the reply on the client (and types the handler's return value). */
  readonly output: O;
}

/** A map from method name (e.g. `rooms.list`) to its definition. */
export type MethodMap = Record<string, MethodDefinition>;

/** The request data type of method `K`. */
export type MethodInput<M extends MethodMap, K extends keyof M> = StandardSchemaV1.InferInput<M[K]['input']>;

/** The reply type of method `K`. */
export type MethodOutput<M extends MethodMap, K extends keyof M> = StandardSchemaV1.InferOutput<M[K]['output']>;

const METHOD_RE = /^[A-Za-z0-9_.:/-]{1,128}$/;

/** Whether `name` is a valid method name (1–128 chars of `[A-Za-z0-9_.:/-]`). */
export function isValidMethodName(name: string): boolean {
  return METHOD_RE.test(name);
}

/**
 * Declares the RPC methods of an application, shared by server and client.
 * @example
 * const methods = defineMethods({ 'rooms.list': { input: z.object({}), output: z.array(z.string()) } });
 */
export function defineMethods<const M extends MethodMap>(map: M): M {
  for (const name of Object.keys(map)) {
    if (!isValidMethodName(name)) throw new TypeError(`Invalid method name: ${name}`);
  }
  return map;
}
