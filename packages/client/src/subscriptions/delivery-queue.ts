import { type StandardSchemaV1, type ValidationResult, validateWith } from '@oxidite/protocol';

/**
 * Hands a topic's messages on in arrival order once validated, even when the schema validates
 * asynchronously: a message waits for every earlier one. Used by WebSocket subscriptions and the
 * SSE client alike.
 */
export class DeliveryQueue {
  /** The deliveries waiting for an async validator; undefined when none is. */
  #chain: Promise<void> | undefined;

  /** Validates `data` with `schema` (none: as is) and calls `deliver` with the result, in order. */
  push(
    schema: StandardSchemaV1 | undefined,
    data: unknown,
    deliver: (result: ValidationResult<unknown>) => void,
  ): void {
    if (!schema) {
      deliver({ ok: true, value: data });
    } else if (this.#chain) {
      this.#queue(this.#chain.then(() => run(schema, data, deliver)));
    } else {
      const pending = run(schema, data, deliver);
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

function run(
  schema: StandardSchemaV1,
  data: unknown,
  deliver: (result: ValidationResult<unknown>) => void,
): Promise<void> | undefined {
  const result = validateWith(schema, data);
  if (result instanceof Promise) return result.then(deliver);
  deliver(result);
  return undefined;
}
