/**
 * Bounds what connections may hold while a message is still arriving. `ws` has one `maxPayload`
 * for every message, checked as each frame header is read; a text message sent as a first frame
 * with FIN=0 plus continuations could therefore be assembled up to the binary limit (1 MiB) before
 * our 64 KiB text check ran, and a thousand such connections held a gigabyte.
 *
 * `ws`'s Receiver calls `haveLength()` once a data frame's length is read, before its payload:
 * there it adds `_payloadLength` to `_totalPayloadLength` and refuses the message (1009) when the
 * total passes `_maxPayload`; `_opcode` is the message's opcode (continuations carry the first
 * frame's). A `haveLength` of our own on the receiver sets `_maxPayload` for that frame — per
 * message type, and against a server-wide budget — and then runs `ws`'s own. Plain property
 * stores only: redefining a field as an accessor would turn every receiver into a dictionary-mode
 * object (kilobytes per idle connection, slower frame parsing). These are `ws` internals: they are
 * touched here only, and `test/transport/inbound-budget.test.ts` fails loudly if a `ws` upgrade
 * changes them.
 */
import type { WebSocket } from 'ws';

const TEXT = 0x01;
const FIRST_CONTROL_OPCODE = 0x08;

/** The parts of `ws`'s Receiver this module relies on. */
interface Receiver {
  _maxPayload: number;
  _opcode: number;
  _payloadLength: number;
  _totalPayloadLength: number;
  haveLength(cb: unknown): unknown;
  /** Ours: bytes reserved in the budget for the message being received. */
  oxiditeReserved?: number | undefined;
  /** Ours: the client address whose share the reservation counts against. */
  oxiditeAddress?: string | undefined;
}

type HaveLength = Receiver['haveLength'];

/** `ws`'s own `haveLength`, by Receiver prototype (one in practice). */
const originals = new WeakMap<object, HaveLength>();
/** The last prototype looked up in `originals`, and its `haveLength`: this runs for every data frame. */
let lastPrototype: object | undefined;
let lastOriginal: HaveLength | undefined;

function originalOf(receiver: Receiver): HaveLength {
  const prototype = Object.getPrototypeOf(receiver) as object;
  if (prototype !== lastPrototype) {
    lastOriginal = originals.get(prototype);
    lastPrototype = prototype;
  }
  return lastOriginal as HaveLength;
}

/**
 * The `haveLength` every receiver of `budget` gets: one function per budget (per transport), not a
 * closure per connection, and it knows its budget without a field on each receiver.
 */
function budgetedHaveLength(budget: InboundBudget): HaveLength {
  return function haveLength(this: Receiver, cb: unknown): unknown {
    if (this._payloadLength && this._opcode < FIRST_CONTROL_OPCODE) {
      this._maxPayload = budget.limitFor(this, this._totalPayloadLength + this._payloadLength);
    }
    return originalOf(this).call(this, cb);
  };
}

/** Limits of {@link InboundBudget}. */
export interface InboundBudgetLimits {
  /** Largest text message, in bytes. */
  readonly text: number;
  /** Largest binary message, in bytes. */
  readonly binary: number;
  /** Bytes of messages still arriving, summed over every connection. */
  readonly total: number;
}

/**
 * Messages up to this size are never refused for the budget's sake (only counted): a ping, a
 * subscribe or a chat line must get through while others' large uploads fill it.
 */
export const SMALL_MESSAGE = 16 * 1024;
/** The share of the budget one client address may hold (at least one message of the largest kind). */
const ADDRESS_SHARE = 8;

/** The server-wide account of bytes held by messages still arriving. */
export class InboundBudget {
  readonly #limits: InboundBudgetLimits;
  readonly #haveLength: HaveLength = budgetedHaveLength(this);
  readonly #perAddress: number;
  /** Bytes reserved by each client address that holds any. */
  readonly #byAddress = new Map<string, number>();
  #used = 0;

  constructor(limits: InboundBudgetLimits) {
    this.#limits = limits;
    this.#perAddress = Math.max(Math.max(limits.text, limits.binary), Math.floor(limits.total / ADDRESS_SHARE));
  }

  /** Bytes currently reserved by messages still arriving. */
  get used(): number {
    return this.#used;
  }

  /**
   * Applies the limits to one connection from `address`. A message over its type's limit, or one
   * over {@link SMALL_MESSAGE} that would take the server past its total or the address past an
   * eighth of it, fails in `ws` as "Max payload size exceeded": close 1009. Without the share, a
   * few dozen sockets of one client announcing large messages and sending a byte now and then
   * reserved the whole budget, and every other connection's next message got 1009.
   * Returns false when `ws` no longer looks as expected (the caller must then refuse the socket).
   */
  attach(ws: WebSocket, address: string): boolean {
    const receiver = receiverOf(ws);
    if (!receiver) return false;
    const prototype = Object.getPrototypeOf(receiver) as object;
    if (!originals.has(prototype)) originals.set(prototype, receiver.haveLength);
    receiver.oxiditeReserved = 0;
    receiver.oxiditeAddress = address;
    receiver.haveLength = this.#haveLength;
    return true;
  }

  /** Returns what the message being received had reserved (it completed, or the socket closed). */
  release(ws: WebSocket): void {
    const receiver = (ws as unknown as { _receiver?: Receiver })._receiver;
    const reserved = receiver?.oxiditeReserved;
    if (!receiver || !reserved) return;
    this.#used -= reserved;
    this.#addTo(receiver.oxiditeAddress ?? '', -reserved);
    receiver.oxiditeReserved = 0;
  }

  /**
   * The `_maxPayload` for a frame that brings its message to `total` bytes: the type's limit, or
   * `total - 1` (so that `ws` refuses it) when the server-wide budget cannot take the growth.
   * @internal
   */
  limitFor(receiver: Receiver, total: number): number {
    const limit = receiver._opcode === TEXT ? this.#limits.text : this.#limits.binary;
    if (total > limit) return limit;
    const reserved = receiver.oxiditeReserved ?? 0;
    // A smaller total than reserved means the previous message completed without a release.
    const grow = total - reserved;
    const address = receiver.oxiditeAddress ?? '';
    if (grow > 0 && total > SMALL_MESSAGE) {
      if (this.#used + grow > this.#limits.total) return total - 1;
      if ((this.#byAddress.get(address) ?? 0) + grow > this.#perAddress) return total - 1;
    }
    this.#used += grow;
    this.#addTo(address, grow);
    receiver.oxiditeReserved = total;
    return limit;
  }

  #addTo(address: string, bytes: number): void {
    const held = (this.#byAddress.get(address) ?? 0) + bytes;
    if (held > 0) this.#byAddress.set(address, held);
    else this.#byAddress.delete(address);
  }
}

function receiverOf(ws: WebSocket): Receiver | undefined {
  const receiver = (ws as unknown as { _receiver?: Partial<Receiver> })._receiver;
  const hasFields =
    receiver !== undefined &&
    typeof receiver._maxPayload === 'number' &&
    typeof receiver._opcode === 'number' &&
    typeof receiver._payloadLength === 'number' &&
    typeof receiver._totalPayloadLength === 'number' &&
    typeof receiver.haveLength === 'function';
  return hasFields ? (receiver as Receiver) : undefined;
}
