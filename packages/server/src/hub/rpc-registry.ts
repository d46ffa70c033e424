import type { ConnectionInfo, Principal } from '../security';

/** What an RPC handler knows about its caller. */
export interface RpcContext {
  readonly connection: ConnectionInfo;
  readonly principal: Principal | null;
}

/** An RPC handler; throw a `RealtimeError` to answer with a typed error. */
export type RpcHandler<I = unknown, O = unknown> = (data: I, context: RpcContext) => O | Promise<O>;

/** Registered RPC handlers by method name. */
export class RpcRegistry {
  readonly #handlers = new Map<string, RpcHandler>();

  register(method: string, handler: RpcHandler): void {
    if (this.#handlers.has(method)) throw new TypeError(`RPC method already registered: ${method}`);
    this.#handlers.set(method, handler);
  }

  get(method: string): RpcHandler | undefined {
    return this.#handlers.get(method);
  }
}
