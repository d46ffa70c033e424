/**
 * A connection's subscriptions by topic, with the `Map` methods the hub uses. Nearly every
 * connection holds one subscription, and a `Map` costs about 270 bytes even for one entry (its
 * hash table is allocated with room for four): idle memory per connection is what a real-time
 * server is sized by (issue #18, goal 3). So the first subscription is kept in a field, and a
 * `Map` is made only for a second one.
 */
export class SubscriptionTable<V extends { readonly topic: string }> {
  /**
   * The lone subscription, or every subscription once there are (or were) two or more: one field
   * rather than two (8 bytes per connection; the table is the connection's base class).
   */
  #table: V | Map<string, V> | undefined;

  get size(): number {
    const table = this.#table;
    if (table instanceof Map) return table.size;
    return table ? 1 : 0;
  }

  get(topic: string): V | undefined {
    const table = this.#table;
    if (table instanceof Map) return table.get(topic);
    return table?.topic === topic ? table : undefined;
  }

  has(topic: string): boolean {
    return this.get(topic) !== undefined;
  }

  /** Adds or replaces the subscription of `value.topic` (`topic` must be `value.topic`). */
  set(topic: string, value: V): this {
    if (topic !== value.topic) throw new TypeError(`subscription of ${value.topic} set under ${topic}`);
    const table = this.#table;
    if (table instanceof Map) {
      table.set(topic, value);
    } else if (!table || table.topic === topic) {
      this.#table = value;
    } else {
      this.#table = new Map([
        [table.topic, table],
        [topic, value],
      ]);
    }
    return this;
  }

  delete(topic: string): boolean {
    const table = this.#table;
    if (table instanceof Map) return table.delete(topic);
    if (table?.topic !== topic) return false;
    this.#table = undefined;
    return true;
  }

  /** The topics, in subscription order. */
  keys(): IterableIterator<string> {
    const table = this.#table;
    if (table instanceof Map) return table.keys();
    return (table ? [table.topic] : []).values();
  }

  /** The subscriptions, in subscription order. */
  values(): IterableIterator<V> {
    const table = this.#table;
    if (table instanceof Map) return table.values();
    return (table ? [table] : []).values();
  }
}
