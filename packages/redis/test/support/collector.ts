import type { BrokerListener, PresenceChange, StreamMessage } from '@oxidite/server';
import { withDeadline } from '@oxidite/test-utils';

/** A broker listener that records what it receives and lets a test wait for it, with a deadline. */
export class Collector implements BrokerListener {
  readonly messages: StreamMessage[] = [];
  readonly presence: PresenceChange[] = [];
  #waiters: (() => void)[] = [];

  onMessage(message: StreamMessage): void {
    this.messages.push(message);
    this.#wake();
  }

  onPresence(change: PresenceChange): void {
    this.presence.push(change);
    this.#wake();
  }

  /** Resolves once `check()` holds, re-checked after each event; rejects after `ms`. */
  until(check: () => boolean, what: string, ms = 5_000): Promise<void> {
    if (check()) return Promise.resolve();
    const waiting = new Promise<void>((resolve) => {
      const waiter = (): void => {
        if (!check()) return;
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        resolve();
      };
      this.#waiters.push(waiter);
    });
    return withDeadline(waiting, ms, what);
  }

  /** Waits until at least `count` messages arrived. */
  messageCount(count: number, ms?: number): Promise<void> {
    return this.until(() => this.messages.length >= count, `${count} messages`, ms);
  }

  #wake(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }
}

/** Payload text of a message (JSON payloads only). */
export function text(message: StreamMessage): string {
  return message.payload.json ?? '';
}
