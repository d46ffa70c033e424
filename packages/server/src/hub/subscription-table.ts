/**
 * A connection's subscriptions by topic, with the `Map` methods the hub uses. Nearly every
 * connection holds one subscription, and a `Map` costs about 270 bytes even for one entry (its
 * hash table is allocated with room for four): idle memory per connection is what a real-time
 * server is sized by (issue #18, goal 3). So the first subscription is kept in a field, and a
 * `Map` is made only for a second one.
 */
export class SubscriptionTable<V extends { readonly topic: string }> {
  /** The subscription while it is the only one. */
  #only: V | undefined;
  /** Every subscription, once there are (or were) two or more. */
  #many: Map<string, V> | undefined;

  get size(): number {
    if (this.#many) return this.#many.size;
    return this.#only ? 1 : 0;
  }

  get(topic: string): V | undefined {
    if (this.#many) return this.#many.get(topic);
    const only = this.#only;
    return only?.topic === topic ? only : undefined;
  }

  has(topic: string): boolean {
    return this.get(topic) !== undefined;
  }

  /** Adds or replaces the subscription of `value.topic` (`topic` must be `value.topic`). */
  set(topic: string, value: V): this {
    if (topic !== value.topic) throw new TypeError(`subscription of ${value.topic} set under ${topic}`);
    const only = this.#only;
    if (this.#many) {
      this.#many.set(topic, value);
    } else if (!only || only.topic === topic) {
      this.#only = value;
    } else {
      this.#many = new Map([
        [only.topic, only],
        [topic, value],
      ]);
      this.#only = undefined;
    }
    return this;
  }

  delete(topic: string): boolean {
    if (this.#many) return this.#many.delete(topic);
    if (this.#only?.topic !== topic) return false;
    this.#only = undefined;
    return true;
  }

  /** The topics, in subscription order. */
  keys(): IterableIterator<string> {
    if (this.#many) return this.#many.keys();
    return (this.#only ? [this.#only.topic] : []).values();
  }

  /** The subscriptions, in subscription order. */
  values(): IterableIterator<V> {
    if (this.#many) return this.#many.values();
    return (this.#only ? [this.#only] : []).values();
  }
}
