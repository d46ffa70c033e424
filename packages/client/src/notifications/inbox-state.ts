import type { Notification, NotificationEvent, NotificationPage } from '@oxidite/protocol';

const newestFirst = (a: Notification, b: Notification): number => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/**
 * The merged view of one user's inbox: pages of `notifications.list`, live events of
 * `notifications:{user}`, and this device's optimistic changes. No I/O.
 *
 * Every merge is by id and idempotent, because the same fact can arrive twice and in either order:
 * a notification in a page and as a `created` event, a read in a page and as a `read` event, an
 * optimistic read and its event. Facts the server stated are kept apart from optimistic ones, so
 * a reload after a failed change shows the server's truth: read is monotonic (a notification
 * seen read stays read) and a deleted notification never comes back.
 *
 * The unread count starts from the server's count and moves with the events. A `read` event names
 * only notifications that changed, and a `deleted` event only those that existed, so each id
 * counts once whether or not it was loaded; only a deleted notification that was never loaded is
 * ambiguous (it may have been read), and that asks for a recount. While every notification is
 * loaded, the count is simply the unread items.
 */
export class InboxState {
  readonly #items = new Map<string, Notification>();
  /** Ids the server said are read. */
  readonly #read = new Set<string>();
  /** Ids the server said are deleted. */
  readonly #deleted = new Set<string>();
  /** Ids this device marked read, while the request is in flight. */
  readonly #reading = new Set<string>();
  /** Ids this device deleted, while the request is in flight. */
  readonly #removing = new Set<string>();
  /** The latest `read_all` (its publish time): anything created before it is read. */
  #readAllAt = Number.NEGATIVE_INFINITY;
  /** Ids learnt from `created` events while a reload is in flight: the reload keeps them. */
  #fresh: Set<string> | undefined;
  #count = 0;
  #cursor: string | undefined;
  #isLoaded = false;
  #needsRecount = false;
  /** Counts reloads, so a page requested before one is dropped. */
  #generation = 0;
  #view: { readonly items: readonly Notification[]; readonly unread: number } | undefined;

  /** Loaded notifications, newest first. */
  get items(): readonly Notification[] {
    return this.#snapshot().items;
  }

  /** Unread notifications in the whole inbox: see the class comment. */
  get unreadCount(): number {
    return this.#isLoaded && this.#cursor === undefined ? this.#snapshot().unread : Math.max(0, this.#count);
  }

  /** Whether older pages remain. */
  get hasMore(): boolean {
    return this.#cursor !== undefined;
  }

  /** The `before` of the next page. */
  get cursor(): string | undefined {
    return this.#cursor;
  }

  /** Changes with every reload: pass it back to {@link InboxState.append}. */
  get generation(): number {
    return this.#generation;
  }

  /** A reload starts: notifications created from now on survive {@link InboxState.replace}. */
  beginReload(): void {
    this.#generation++;
    this.#fresh = new Set();
  }

  /** The first page and the unread count arrived: they replace what was loaded. */
  replace(page: NotificationPage, count: number): void {
    const fresh = this.#fresh ?? new Set<string>();
    this.#fresh = undefined;
    for (const id of [...this.#items.keys()]) if (!fresh.has(id)) this.#items.delete(id);
    this.#merge(page);
    this.#count = count;
    this.#isLoaded = true;
    this.#needsRecount = false;
  }

  /**
   * An older page arrived, requested at `generation`. A reload since then moved the cursor, and
   * this page would leave a hole after the new first page: it is dropped.
   */
  append(page: NotificationPage, generation: number): void {
    if (generation === this.#generation) this.#merge(page);
  }

  /** The server's unread count, after a recount. */
  setCount(count: number): void {
    this.#count = count;
  }

  /** Whether a `deleted` event left the count in doubt; reading it clears it. */
  takeRecount(): boolean {
    const needed = this.#needsRecount;
    this.#needsRecount = false;
    return needed;
  }

  /** Applies a live event published at `ts` (ms since the epoch). */
  apply(event: NotificationEvent, ts: number): void {
    this.#view = undefined;
    switch (event.kind) {
      case 'created': {
        const { notification } = event;
        const { id } = notification;
        if (this.#deleted.has(id) || this.#removing.has(id)) return;
        this.#fresh?.add(id);
        const known = this.#items.get(id);
        const read = notification.read || this.#isSettled(id);
        if (!known && !read) this.#count++;
        this.#items.set(id, { ...notification, read });
        return;
      }
      case 'read':
        for (const id of event.ids) {
          if (!this.#isSettled(id)) this.#count--;
          this.#read.add(id);
          this.#setRead(id);
        }
        return;
      case 'read_all':
        this.#readAllAt = Math.max(this.#readAllAt, ts);
        this.#count = 0;
        for (const id of this.#items.keys()) {
          this.#read.add(id);
          this.#setRead(id);
        }
        return;
      case 'deleted':
        for (const id of event.ids) {
          if (!this.#isSettled(id)) {
            if (this.#items.has(id)) this.#count--;
            else if (this.#isLoaded && this.hasMore) this.#needsRecount = true;
          }
          this.#deleted.add(id);
          this.#read.delete(id);
          this.#items.delete(id);
        }
        return;
    }
  }

  /** Marks loaded notifications read ahead of the server; returns the ids it changed. */
  markRead(ids: readonly string[]): string[] {
    const changed = ids.filter((id) => this.#items.get(id)?.read === false);
    for (const id of changed) {
      this.#reading.add(id);
      this.#setRead(id);
      this.#count--;
    }
    return changed;
  }

  /** Marks every loaded notification read ahead of the server; returns the ids it changed. */
  markAllRead(): string[] {
    const changed = this.markRead([...this.#items.keys()]);
    this.#count = 0;
    return changed;
  }

  /** Deletes loaded notifications ahead of the server; returns the ids it removed. */
  remove(ids: readonly string[]): string[] {
    const removed = ids.filter((id) => this.#items.has(id));
    for (const id of removed) {
      if (!this.#isSettled(id)) this.#count--;
      this.#removing.add(id);
      this.#items.delete(id);
    }
    this.#view = undefined;
    return removed;
  }

  /** The request behind {@link InboxState.markRead} finished; on success the ids are read on the server. */
  settleRead(ids: readonly string[], isDone: boolean): void {
    for (const id of ids) {
      this.#reading.delete(id);
      if (isDone) this.#read.add(id);
    }
  }

  /** The request behind {@link InboxState.remove} finished; on success the ids are gone on the server. */
  settleRemove(ids: readonly string[], isDone: boolean): void {
    for (const id of ids) {
      this.#removing.delete(id);
      if (isDone) this.#deleted.add(id);
    }
  }

  /** Whether `id` is already not counted as unread: read, being read, deleted or being deleted. */
  #isSettled(id: string): boolean {
    return (
      this.#read.has(id) ||
      this.#reading.has(id) ||
      this.#deleted.has(id) ||
      this.#removing.has(id) ||
      this.#items.get(id)?.read === true
    );
  }

  #setRead(id: string): void {
    const known = this.#items.get(id);
    if (known && !known.read) this.#items.set(id, { ...known, read: true });
    this.#view = undefined;
  }

  /** Merges a page by id: what live events said wins, and read stays read. */
  #merge(page: NotificationPage): void {
    this.#view = undefined;
    this.#cursor = page.next;
    for (const listed of page.items) {
      const { id } = listed;
      if (this.#deleted.has(id) || this.#removing.has(id)) continue;
      if (listed.read) this.#read.add(id);
      const known = this.#items.get(id);
      // A known item already reflects every event since it became known; an unknown one is read
      // if a `read_all` came after its creation (the page may have been taken before that).
      const read = known
        ? known.read || listed.read
        : listed.read || this.#isSettled(id) || listed.createdAt <= this.#readAllAt;
      this.#items.set(id, { ...(known ?? listed), read });
    }
  }

  #snapshot(): { readonly items: readonly Notification[]; readonly unread: number } {
    if (!this.#view) {
      const items = [...this.#items.values()].sort(newestFirst);
      this.#view = { items, unread: items.filter((item) => !item.read).length };
    }
    return this.#view;
  }
}
