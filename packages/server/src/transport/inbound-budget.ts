/**
 * Bounds what connections may hold while a message is still arriving. `ws` has one `maxPayload`
 * for every message, checked as each frame header is read; a text message sent as a first frame
 * with FIN=0 plus continuations could therefore be assembled up to the binary limit (1 MiB) before
 * our 64 KiB text check ran, and a thousand such connections held a gigabyte.
 *
 * `ws` reads `receiver._maxPayload` once per data frame header, after adding the frame's declared
 * length to `receiver._totalPayloadLength`, with `receiver._opcode` set to the message's opcode
 * (continuations carry the first frame's). Turning that field into a getter lets us answer per
 * message type and against a server-wide budget, before the payload bytes arrive. These are `ws`
 * internals: they are touched here only, and `test/transport/inbound-budget.test.ts` fails loudly
 * if a `ws` upgrade changes them.
 */
import type { WebSocket } from 'ws';

const TEXT = 0x01;
/** Bytes this receiver has reserved in the budget for the message it is receiving. */
const RESERVED = Symbol('oxidite.reserved');
/** The budget a receiver answers to. */
const BUDGET = Symbol('oxidite.budget');

/** The parts of `ws`'s Receiver this module relies on. */
interface Receiver {
  _maxPayload: number;
  _opcode: number;
  _totalPayloadLength: number;
  [RESERVED]?: number;
  [BUDGET]?: InboundBudget;
}

/**
 * One accessor pair for every receiver (not closures per connection): receivers then share their
 * hidden class, and idle memory per connection stays what it was.
 */
const MAX_PAYLOAD: PropertyDescriptor = {
  configurable: true,
  get(this: Receiver): number {
    return this[BUDGET]?.limitFor(this) ?? 0;
  },
  set() {}, // `ws` assigns it once in its constructor, before we get here
};

/** Limits of {@link InboundBudget}. */
export interface InboundBudgetLimits {
  /** Largest text message, in bytes. */
  readonly text: number;
  /** Largest binary message, in bytes. */
  readonly binary: number;
  /** Bytes of messages still arriving, summed over every connection. */
  readonly total: number;
}

/** The server-wide account of bytes held by messages still arriving. */
export class InboundBudget {
  readonly #limits: InboundBudgetLimits;
  #used = 0;

  constructor(limits: InboundBudgetLimits) {
    this.#limits = limits;
  }

  /** Bytes currently reserved by messages still arriving. */
  get used(): number {
    return this.#used;
  }

  /**
   * Applies the limits to one connection. A message over its type's limit, or one that would take
   * the server past its total, fails in `ws` as "Max payload size exceeded": close 1009.
   * Returns false when `ws` no longer looks as expected (the caller must then refuse the socket).
   */
  attach(ws: WebSocket): boolean {
    const receiver = receiverOf(ws);
    if (!receiver) return false;
    receiver[BUDGET] = this;
    Object.defineProperty(receiver, '_maxPayload', MAX_PAYLOAD);
    return true;
  }

  /** Returns what the message being received had reserved (it completed, or the socket closed). */
  release(ws: WebSocket): void {
    // Per message, so no validation here (attach did it): reading `_maxPayload` would run the getter.
    const receiver = (ws as unknown as { _receiver?: Receiver })._receiver;
    const reserved = receiver?.[RESERVED];
    if (!receiver || !reserved) return;
    this.#used -= reserved;
    receiver[RESERVED] = 0;
  }

  /** `ws`'s limit for the frame whose header it just read (see the module comment). @internal */
  limitFor(receiver: Receiver): number {
    const limit = receiver._opcode === TEXT ? this.#limits.text : this.#limits.binary;
    const total = receiver._totalPayloadLength;
    if (total > limit) return limit;
    const reserved = receiver[RESERVED] ?? 0;
    // A smaller total than reserved means the previous message completed without a release.
    const grow = total - reserved;
    if (grow > 0 && this.#used + grow > this.#limits.total) return total - 1;
    this.#used += grow;
    receiver[RESERVED] = total;
    return limit;
  }
}

function receiverOf(ws: WebSocket): Receiver | undefined {
  const receiver = (ws as unknown as { _receiver?: Partial<Receiver> })._receiver;
  if (!receiver || typeof receiver._opcode !== 'number' || typeof receiver._totalPayloadLength !== 'number') {
    return undefined;
  }
  if (typeof receiver._maxPayload !== 'number' && !Object.getOwnPropertyDescriptor(receiver, '_maxPayload')?.get) {
    return undefined;
  }
  return receiver as Receiver;
}
