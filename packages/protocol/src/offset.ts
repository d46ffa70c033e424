/**
 * Stream positions. Every topic is a stream: an `epoch` names one continuous history of it and
 * `seq` counts messages within that epoch from 1. When a broker loses a topic's history (a memory
 * broker restarts, a Redis stream is deleted) the topic starts a new epoch, so an old offset can
 * never be mistaken for a position in the new history.
 *
 * Wire form: `"<epoch>:<seq>"`, e.g. `"k3x9:42"`. Epochs use `[A-Za-z0-9_-]`, 1–32 chars.
 */

/** A position in a topic's stream. `seq` 0 means "before the first message". */
export interface StreamOffset {
  readonly epoch: string;
  readonly seq: number;
}

const EPOCH_RE = /^[A-Za-z0-9_-]{1,32}$/;
/** The wire form of an offset, the epoch and the seq captured; the envelope guards check offsets with it too. */
export const OFFSET_RE = /^([A-Za-z0-9_-]{1,32}):(0|[1-9][0-9]{0,15})$/;

/** Whether `epoch` is a valid epoch string. */
export function isValidEpoch(epoch: string): boolean {
  return EPOCH_RE.test(epoch);
}

/** Wire form of an offset. */
export function formatOffset(offset: StreamOffset): string {
  return `${offset.epoch}:${offset.seq}`;
}

/** Parses the wire form; `undefined` if it is not a valid offset. Never throws. */
export function parseOffset(text: string): StreamOffset | undefined {
  const match = OFFSET_RE.exec(text);
  if (!match) return undefined;
  const seq = Number(match[2]);
  if (!Number.isSafeInteger(seq)) return undefined;
  return { epoch: match[1] as string, seq };
}

/**
 * Orders two offsets of the same epoch by `seq`. Offsets of different epochs are incomparable:
 * returns `undefined`, and the caller must treat the history as discontinuous.
 */
export function compareOffsets(a: StreamOffset, b: StreamOffset): -1 | 0 | 1 | undefined {
  if (a.epoch !== b.epoch) return undefined;
  return a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0;
}

/**
 * A fresh random epoch (10 base-36 chars, ~51 bits). `Math.random` is enough: epochs only need
 * to differ between histories of one topic, they are not secrets.
 */
export function createEpoch(): string {
  let out = '';
  for (let i = 0; i < 10; i++) out += Math.floor(Math.random() * 36).toString(36);
  return out;
}
