import { type StandardSchemaV1, type ValidationResult, validateWith } from '@oxidite/protocol';

/** Receives one validated message; `context` is what the caller pushed with it (no closure per message). */
export type Deliver<C> = (result: ValidationResult<unknown>, context: C) => void;

/**
 * Hands a topic's messages on in arrival order once validated, even when the schema validates
 * asynchronously: a message waits for every earlier one. A synchronous validator delivers at
 * once, with no promise or microtask in between. Used by WebSocket subscriptions and the SSE
 * client alike.
 */
export class DeliveryQueue {
  /** The deliveries waiting for an async validator; undefined when none is. */
  #chain: Promise<void> | undefined;

  /** Validates `data` with `schema` (none: as is) and calls `deliver` with the result and `context`, in order. */
  push<C>(schema: StandardSchemaV1 | undefined, data: unknown, context: C, deliver: Deliver<C>): void {
    if (!schema) {
      deliver({ ok: true, value: data }, context);
    } else if (this.#chain) {
      this.#queue(this.#chain.then(() => run(schema, data, context, deliver)));
    } else {
      const pending = run(schema, data, context, deliver);
      if (pending) this.#queue(pending);
    }
  }

  #queue(pending: Promise<void>): void {
    const chain = pending.catch(() => {});
    this.#chain = chain;
    void chain.then(() => {
      if (this.#chain === chain) this.#chain = undefined;
    });
  }
}

function run<C>(schema: StandardSchemaV1, data: unknown, context: C, deliver: Deliver<C>): Promise<void> | undefined {
  const result = validateWith(schema, data);
  if (result instanceof Promise) return result.then((settled) => deliver(settled, context));
  deliver(result, context);
  return undefined;
}
