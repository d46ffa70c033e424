import type { StreamOffset } from '@oxidite/protocol';
import type { BrokerListener, HistoryResult, StreamMessage } from '@oxidite/server';

/** What a {@link TopicFeed} needs from its broker. */
export interface TopicFeedOptions {
  readonly topic: string;
  readonly listener: BrokerListener;
  /** The broker's history read: everything after `since`, or (undefined) the position only. */
  readonly read: (since: StreamOffset | undefined) => Promise<HistoryResult>;
  /** Receives read failures (the catch-up is retried after `retryDelay`). */
  readonly onError: (error: unknown) => void;
  /** Wait before retrying a failed read, in ms. */
  readonly retryDelay: number;
}

/**
 * One topic's delivery on one node, gap-free. Pub/Sub is at-most-once: whatever is published while
 * the node's subscriber connection is down (a reconnect, a cluster failover) never arrives on the
 * channel. The feed remembers the last offset it delivered and passes on only its successor; on
 * a jump, a new epoch, or {@link catchUp} after a resubscribe, it parks live messages, reads the
 * missed ones from the topic's stream, delivers them in order, then the parked ones (issue #21).
 * A gap the stream no longer holds is reported to `listener.onGap` before anything after it.
 */
export class TopicFeed {
  readonly #options: TopicFeedOptions;
  #last: StreamOffset | undefined;
  /** Live messages held back while catching up; undefined once live. */
  #parked: StreamMessage[] | undefined = [];
  #running: Promise<void> | undefined;
  #isAgain = false;
  #isClosed = false;
  #retry: ReturnType<typeof setTimeout> | undefined;

  constructor(options: TopicFeedOptions) {
    this.#options = options;
  }

  get listener(): BrokerListener {
    return this.#options.listener;
  }

  /** A message from the channel. */
  push(message: StreamMessage): void {
    if (this.#isClosed) return;
    if (this.#parked) {
      this.#parked.push(message);
      return;
    }
    if (this.#isSeen(message)) return;
    if (this.#isNext(message)) {
      this.#emit(message);
      return;
    }
    this.#parked = [message];
    this.catchUp().catch(this.#options.onError);
  }

  /**
   * Reads what this node missed since its last delivered message (the first call only reads the
   * position) and delivers it; resolves once the feed is live again.
   */
  catchUp(): Promise<void> {
    this.#parked ??= [];
    if (this.#running) {
      this.#isAgain = true;
      return this.#running;
    }
    const running = this.#loop().finally(() => {
      this.#running = undefined;
    });
    this.#running = running;
    return running;
  }

  /**
   * The reader is back (the command connection is ready again): a catch-up waiting out its
   * `retryDelay` runs now. Without one pending, nothing happens.
   */
  retryNow(): void {
    if (this.#retry === undefined || this.#isClosed) return;
    clearTimeout(this.#retry);
    this.#retry = undefined;
    this.catchUp().catch(this.#options.onError);
  }

  /** Stops delivering; a pending catch-up ends quietly. */
  close(): void {
    this.#isClosed = true;
    clearTimeout(this.#retry);
  }

  async #loop(): Promise<void> {
    do {
      this.#isAgain = false;
      let result: HistoryResult;
      try {
        result = await this.#options.read(this.#last);
      } catch (error) {
        if (this.#isClosed) return;
        // Without a position the subscribe itself fails (the broker drops the feed).
        if (this.#last === undefined) throw error;
        this.#options.onError(error);
        this.#scheduleRetry();
        return;
      }
      if (this.#isClosed) return;
      this.#apply(result);
      if (this.#drain()) return;
    } while (!this.#isClosed);
  }

  #apply(result: HistoryResult): void {
    if (this.#last === undefined) {
      this.#last = result.position;
      return;
    }
    // Report first: a subscriber that resubscribes from what it had must not have moved past the gap.
    if (!result.recovered) this.#options.listener.onGap?.(this.#options.topic);
    for (const message of result.messages) if (!this.#isSeen(message)) this.#emit(message);
    if (!result.recovered) this.#last = result.position;
  }

  /** Delivers parked messages that follow on; true when the feed is live, false when a gap remains. */
  #drain(): boolean {
    const parked = (this.#parked ?? []).sort((a, b) => a.offset.seq - b.offset.seq);
    let i = 0;
    for (; i < parked.length; i++) {
      const message = parked[i] as StreamMessage;
      if (this.#isSeen(message)) continue;
      if (!this.#isNext(message)) break;
      this.#emit(message);
    }
    if (i < parked.length || this.#isAgain) {
      this.#parked = parked.slice(i);
      return false;
    }
    this.#parked = undefined;
    return true;
  }

  #scheduleRetry(): void {
    clearTimeout(this.#retry);
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      if (!this.#isClosed) this.catchUp().catch(this.#options.onError);
    }, this.#options.retryDelay);
    this.#retry.unref?.();
  }

  #isSeen(message: StreamMessage): boolean {
    const last = this.#last;
    return last !== undefined && message.offset.epoch === last.epoch && message.offset.seq <= last.seq;
  }

  #isNext(message: StreamMessage): boolean {
    const last = this.#last;
    return last !== undefined && message.offset.epoch === last.epoch && message.offset.seq === last.seq + 1;
  }

  #emit(message: StreamMessage): void {
    this.#last = message.offset;
    this.#options.listener.onMessage(message);
  }
}
