import {
  ErrorCode,
  isNotificationUserId,
  isRealtimeError,
  type MethodMap,
  type Notification,
  type NotificationEvent,
  NotificationEventSchema,
  NotificationLimits,
  notificationTopic,
  RealtimeError,
  type TopicMap,
  type ValidationResult,
  validateWith,
} from '@oxidite/protocol';
import type { RealtimeClient } from '../client-types';
import type { MessageMeta, Subscription } from '../subscriptions/types';
import { Emitter } from '../util/emitter';
import { createInboxRequests, type InboxRequests, type UntypedClient } from './inbox-requests';
import { InboxState } from './inbox-state';
import type {
  NotificationInbox,
  NotificationInboxEvents,
  NotificationInboxOptions,
  WithNotificationTopics,
} from './inbox-types';

/**
 * Creates the live notification inbox of `userId` on `client`. Nothing happens before `start()`.
 * The client's topic map must include `notificationTopics`; its method map need not include
 * `notificationMethods`.
 *
 * @example
 * const client = createClient({ url, topics: { ...topics, ...notificationTopics }, token });
 * const inbox = createNotificationInbox(client, { userId: me.id });
 * inbox.on('change', (it) => render(it.items, it.unreadCount));
 * await inbox.start();
 * await inbox.markRead([id]); // the user's other devices update through the server's event
 * @throws RealtimeError `invalid` for a user id a topic cannot hold, or a `pageSize` outside 1–100
 */
export function createNotificationInbox<T extends TopicMap, M extends MethodMap = MethodMap>(
  client: RealtimeClient<T, M> & WithNotificationTopics<T>,
  options: NotificationInboxOptions,
): NotificationInbox {
  return new Inbox(client as unknown as UntypedClient, options);
}

class Inbox implements NotificationInbox {
  readonly #client: UntypedClient;
  readonly #topic: string;
  readonly #requests: InboxRequests;
  readonly #state = new InboxState();
  readonly #emitter = new Emitter<NotificationInboxEvents>((error, event) => {
    if (event !== 'error') {
      this.#report(new RealtimeError(ErrorCode.INTERNAL, `a ${event} listener threw`, { cause: error }));
    }
  });
  #subscription: Subscription | undefined;
  #started: Promise<void> | undefined;
  #reloading: Promise<void> | undefined;
  #isReloadDue = false;
  #loadingMore: Promise<void> | undefined;
  #isStopped = false;

  constructor(client: UntypedClient, options: NotificationInboxOptions) {
    const { userId, pageSize = NotificationLimits.DEFAULT_PAGE_SIZE } = options;
    if (!isNotificationUserId(userId)) {
      throw new RealtimeError(ErrorCode.INVALID, `invalid notification user id: ${JSON.stringify(userId)}`);
    }
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > NotificationLimits.MAX_PAGE_SIZE) {
      throw new RealtimeError(ErrorCode.INVALID, `pageSize must be an integer from 1 to 100, got ${pageSize}`);
    }
    this.#client = client;
    this.#topic = notificationTopic(userId);
    this.#requests = createInboxRequests(client, pageSize);
  }

  get items(): readonly Notification[] {
    return this.#state.items;
  }

  get unreadCount(): number {
    return this.#state.unreadCount;
  }

  get hasMore(): boolean {
    return this.#state.hasMore;
  }

  on<E extends keyof NotificationInboxEvents>(
    event: E,
    listener: (...args: NotificationInboxEvents[E]) => void,
  ): () => void {
    return this.#emitter.on(event, listener);
  }

  start(): Promise<void> {
    if (this.#isStopped) return Promise.reject(stopped());
    if (!this.#started) {
      const started = this.#start();
      this.#started = started;
      // A failed start can be retried: forget its subscription.
      started.catch(() => {
        this.#subscription?.unsubscribe();
        this.#subscription = undefined;
        if (this.#started === started) this.#started = undefined;
      });
    }
    return this.#started;
  }

  loadMore(): Promise<void> {
    this.#loadingMore ??= this.#loadMore().finally(() => {
      this.#loadingMore = undefined;
    });
    return this.#loadingMore;
  }

  markRead(ids: readonly string[]): Promise<void> {
    const unique = [...new Set(ids)];
    if (this.#isStopped) return Promise.reject(stopped());
    if (unique.length === 0) return Promise.resolve();
    const changed = this.#state.markRead(unique);
    return this.#send(this.#requests.markRead(unique), (isDone) => this.#state.settleRead(changed, isDone));
  }

  markAllRead(): Promise<void> {
    if (this.#isStopped) return Promise.reject(stopped());
    const changed = this.#state.markAllRead();
    return this.#send(this.#requests.markAllRead(), (isDone) => this.#state.settleRead(changed, isDone));
  }

  remove(ids: readonly string[]): Promise<void> {
    const unique = [...new Set(ids)];
    if (this.#isStopped) return Promise.reject(stopped());
    if (unique.length === 0) return Promise.resolve();
    const removed = this.#state.remove(unique);
    return this.#send(this.#requests.remove(unique), (isDone) => this.#state.settleRemove(removed, isDone));
  }

  stop(): void {
    this.#isStopped = true;
    this.#subscription?.unsubscribe();
    this.#subscription = undefined;
    this.#emitter.clear();
  }

  /** Subscribes first and waits until it is live, so a page loaded next misses nothing sent meanwhile. */
  async #start(): Promise<void> {
    const subscription = this.#client.subscribe(this.#topic, (data, meta) => this.#receive(data, meta));
    this.#subscription = subscription;
    // History no longer covers a disconnect: what the events would have said is lost.
    subscription.on('reset', () => this.#background(this.#reload()));
    await subscription.ready;
    await this.#reload();
  }

  /** Loads the first page and the unread count, replacing what was loaded. Overlapping calls coalesce. */
  #reload(): Promise<void> {
    if (this.#reloading) {
      this.#isReloadDue = true;
      return this.#reloading;
    }
    const run = async (): Promise<void> => {
      do {
        this.#isReloadDue = false;
        this.#state.beginReload();
        const [page, count] = await Promise.all([this.#requests.list(undefined), this.#requests.unreadCount()]);
        if (this.#isStopped) return;
        this.#state.replace(page, count);
        this.#changed();
      } while (this.#isReloadDue);
    };
    const reloading = run().finally(() => {
      this.#reloading = undefined;
    });
    this.#reloading = reloading;
    return reloading;
  }

  async #loadMore(): Promise<void> {
    if (this.#reloading) await this.#reloading;
    const before = this.#state.cursor;
    if (before === undefined || this.#isStopped) return;
    const generation = this.#state.generation;
    const page = await this.#requests.list(before);
    if (this.#isStopped) return;
    this.#state.append(page, generation);
    this.#changed();
  }

  async #recount(): Promise<void> {
    const generation = this.#state.generation;
    const count = await this.#requests.unreadCount();
    if (this.#isStopped || generation !== this.#state.generation) return;
    this.#state.setCount(count);
    this.#changed();
  }

  /** Sends a change already applied locally; if it fails, reloads the server's truth and rejects. */
  async #send(request: Promise<void>, settle: (isDone: boolean) => void): Promise<void> {
    this.#changed();
    try {
      await request;
      settle(true);
    } catch (error) {
      settle(false);
      // The request may or may not have been applied (e.g. `disconnected`): only a reload knows.
      if (!this.#isStopped) this.#background(this.#reload());
      throw error;
    } finally {
      this.#changed();
    }
  }

  #receive(data: unknown, meta: MessageMeta): void {
    const result = validateWith(NotificationEventSchema, data);
    if (result instanceof Promise) void result.then((settled) => this.#apply(settled, meta));
    else this.#apply(result, meta);
  }

  #apply(result: ValidationResult<NotificationEvent>, meta: MessageMeta): void {
    if (this.#isStopped) return;
    if (!result.ok) {
      const why = `invalid notification event on ${meta.topic} at ${meta.offset}: ${result.message}`;
      this.#report(new RealtimeError(ErrorCode.INVALID, why));
      return;
    }
    this.#state.apply(result.value, meta.ts);
    if (this.#state.takeRecount()) this.#background(this.#recount());
    this.#changed();
  }

  #changed(): void {
    if (!this.#isStopped) this.#emitter.emit('change', this);
  }

  #background(work: Promise<void>): void {
    work.catch((error: unknown) => this.#report(internal(error, 'the inbox could not reload')));
  }

  #report(error: RealtimeError): void {
    if (!this.#isStopped) this.#emitter.emit('error', error);
  }
}

/** `error` itself if it is a `RealtimeError`, else an `internal` one that wraps it. */
function internal(error: unknown, message: string): RealtimeError {
  return isRealtimeError(error) ? error : new RealtimeError(ErrorCode.INTERNAL, message, { cause: error });
}

function stopped(): RealtimeError {
  return new RealtimeError(ErrorCode.INVALID, 'the notification inbox is stopped');
}
