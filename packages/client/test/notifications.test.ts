import {
  defineTopics,
  type MethodMap,
  type Notification,
  notificationMethods,
  notificationTopics,
  type TopicMap,
} from '@oxidite/protocol';
import {
  createMemoryNotificationStore,
  createNotificationService,
  createRealtimeServer,
  type NotificationService,
} from '@oxidite/server';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import {
  type ClientState,
  createClient,
  createNotificationInbox,
  type NotificationInbox,
  type RealtimeClient,
  type RealtimeError,
} from '../src/index';
import { onTeardown, startProxy, waitFor } from './support/harness';

/** The app's topics: its own, plus the notification topic the inbox needs. */
const topics = defineTopics({ ...notificationTopics });

interface InboxServer {
  readonly url: string;
  readonly port: number;
  readonly service: NotificationService;
}

/** A realtime server with the notification topic and methods; a connection's token is its user id. */
async function startInboxServer(): Promise<InboxServer> {
  const rt = createRealtimeServer({
    topics,
    methods: notificationMethods,
    auth: ({ token }) => (token ? { id: token } : null),
  });
  const service = createNotificationService({ store: createMemoryNotificationStore(), realtime: rt });
  const { port } = await rt.listen(0, '127.0.0.1');
  onTeardown(() => rt.close());
  return { url: `ws://127.0.0.1:${port}/ws`, port, service };
}

/** A client signed in as `userId`, with short retry delays. */
function connectAs<T extends TopicMap>(url: string, userId: string, clientTopics: T): RealtimeClient<T, MethodMap> {
  const client = createClient({ url, topics: clientTopics, token: userId, WebSocket, reconnect: { minDelay: 10 } });
  onTeardown(() => client.close());
  return client;
}

function inboxOf(
  client: RealtimeClient<typeof topics, MethodMap>,
  userId: string,
  pageSize?: number,
): NotificationInbox {
  const inbox = createNotificationInbox(client, pageSize === undefined ? { userId } : { userId, pageSize });
  onTeardown(() => inbox.stop());
  return inbox;
}

/** Resolves once `check` holds, re-checked on every `change` of the inbox. */
function until(inbox: NotificationInbox, check: () => boolean, what: string): Promise<void> {
  if (check()) return Promise.resolve();
  return waitFor<void>((done) => inbox.on('change', () => check() && done()), what);
}

function nextState(client: RealtimeClient<TopicMap, MethodMap>, to: ClientState): Promise<unknown> {
  return waitFor((done) => client.on('state', (change) => change.to === to && done(change)), `state ${to}`);
}

async function send(service: NotificationService, userId: string, count: number): Promise<Notification[]> {
  const sent: Notification[] = [];
  for (let i = 1; i <= count; i++)
    sent.push(await service.send(userId, { title: `t${i}`, body: '', category: 'test' }));
  return sent;
}

const ids = (items: readonly Notification[]): string[] => items.map((item) => item.id);

describe('notification inbox', () => {
  it('starts with the first page, newest first, and the server’s unread count', async () => {
    const { url, service } = await startInboxServer();
    const [first, , third] = await send(service, 'ada', 3);
    await send(service, 'bob', 1);
    await service.markRead('ada', [first?.id ?? '']);

    const inbox = inboxOf(connectAs(url, 'ada', topics), 'ada');
    await inbox.start();
    expect(inbox.items.map((item) => [item.title, item.read])).toEqual([
      ['t3', false],
      ['t2', false],
      ['t1', true],
    ]);
    expect(inbox.items[0]?.id).toBe(third?.id);
    expect(inbox.unreadCount).toBe(2);
    expect(inbox.hasMore).toBe(false);
  });

  it('delivers to every device of the user; a read or delete on one updates the others', async () => {
    const { url, service } = await startInboxServer();
    const phone = inboxOf(connectAs(url, 'ada', topics), 'ada');
    const laptop = inboxOf(connectAs(url, 'ada', topics), 'ada');
    await Promise.all([phone.start(), laptop.start()]);

    const sent = await send(service, 'ada', 2);
    for (const inbox of [phone, laptop]) await until(inbox, () => inbox.unreadCount === 2, 'two live notifications');
    expect(ids(laptop.items)).toEqual(ids(sent).reverse());

    const reading = phone.markRead([sent[0]?.id ?? '']);
    expect(phone.unreadCount).toBe(1); // optimistic, before the server answers
    await reading;
    await until(laptop, () => laptop.unreadCount === 1, 'the read on the other device');
    expect(laptop.items.map((item) => item.read)).toEqual([false, true]);

    await phone.markAllRead();
    await until(laptop, () => laptop.unreadCount === 0, 'read_all on the other device');
    expect(laptop.items.every((item) => item.read)).toBe(true);

    await phone.remove([sent[1]?.id ?? '']);
    await until(laptop, () => laptop.items.length === 1, 'the delete on the other device');
    expect(ids(phone.items)).toEqual([sent[0]?.id]);
  });

  it('pages older notifications with loadMore, and recounts when an unloaded one is deleted', async () => {
    const { url, service } = await startInboxServer();
    const sent = await send(service, 'ada', 6);
    const newest = (n: number): string[] => ids(sent.slice(-n)).reverse();
    const inbox = inboxOf(connectAs(url, 'ada', topics), 'ada', 2);
    await inbox.start();
    expect(ids(inbox.items)).toEqual(newest(2));
    expect([inbox.unreadCount, inbox.hasMore]).toEqual([6, true]);

    await service.delete('ada', [sent[0]?.id ?? '']); // not loaded: was it read? the inbox asks
    await until(inbox, () => inbox.unreadCount === 5, 'the recount');

    await inbox.loadMore();
    expect([ids(inbox.items), inbox.hasMore]).toEqual([newest(4), true]);
    await inbox.loadMore();
    expect([ids(inbox.items), inbox.hasMore]).toEqual([newest(5), false]);
    await inbox.loadMore(); // nothing left: no request, no change
    expect(ids(inbox.items)).toEqual(newest(5));
    expect(inbox.unreadCount).toBe(5); // every notification is loaded: counted from the items
  });

  it('reloads the first page and the count after a reset (the gap outgrew the topic history)', async () => {
    const server = await startInboxServer();
    const proxy = await startProxy(server.port);
    const client = connectAs(proxy.url, 'ada', topics);
    const inbox = inboxOf(client, 'ada', 5);
    await send(server.service, 'ada', 1);
    await inbox.start();

    proxy.refuse(true);
    const away = nextState(client, 'reconnecting');
    proxy.cut();
    await away;
    // The topic keeps 100 events: the 101st evicts the position the client resumes from.
    const sent = await send(server.service, 'ada', 101);
    proxy.refuse(false);

    await until(inbox, () => inbox.unreadCount === 102, 'the reload after reset');
    expect(ids(inbox.items)).toEqual(ids(sent.slice(-5)).reverse());
    expect(inbox.hasMore).toBe(true);
  });

  it('rolls a refused change back by reloading, and rejects', async () => {
    const { url, service } = await startInboxServer();
    const [sent] = await send(service, 'ada', 1);
    const inbox = inboxOf(connectAs(url, 'ada', topics), 'ada');
    await inbox.start();

    const reading = inbox.markRead([sent?.id ?? '', 'not-a-notification-id']);
    expect(inbox.unreadCount).toBe(0);
    await expect(reading).rejects.toMatchObject({ code: 'invalid' });
    await until(inbox, () => inbox.unreadCount === 1, 'the reload');
    expect(inbox.items[0]?.read).toBe(false);
  });

  it('refuses to start on another user’s inbox', async () => {
    const { url } = await startInboxServer();
    const inbox = inboxOf(connectAs(url, 'ada', topics), 'bob');
    await expect(inbox.start()).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('needs the notification topic in the client’s topic map (a compile error without it)', async () => {
    const { url } = await startInboxServer();
    const client = connectAs(url, 'ada', defineTopics({}));
    // @ts-expect-error the client's topic map lacks `notificationTopics`
    const inbox = createNotificationInbox(client, { userId: 'ada' });
    await expect(inbox.start()).rejects.toMatchObject({ code: 'unknown_topic' });
    expect(() => inboxOf(connectAs(url, 'ada', topics), 'not a user id')).toThrow(/invalid notification user id/);
  });

  it('checks events with NotificationEventSchema itself, even when the client does not validate', async () => {
    // A server whose notification topic accepts anything, and a client that does not validate.
    const anything = {
      '~standard': { version: 1, vendor: 'test', validate: (value: unknown) => ({ value }) },
    } as const;
    const rt = createRealtimeServer({
      topics: { 'notifications:{user}': { schema: anything, owner: 'user' } },
      auth: ({ token }) => (token ? { id: token } : null),
    });
    createNotificationService({ store: createMemoryNotificationStore(), realtime: rt });
    const { port } = await rt.listen(0, '127.0.0.1');
    onTeardown(() => rt.close());
    const client = createClient({ url: `ws://127.0.0.1:${port}/ws`, topics, token: 'ada', WebSocket, validate: false });
    onTeardown(() => client.close());
    const inbox = inboxOf(client, 'ada');
    await inbox.start();

    const invalid = waitFor<RealtimeError>((done) => inbox.on('error', done), 'an error event');
    await rt.publish('notifications:ada', { kind: 'created', notification: { id: 'nope' } });
    expect(await invalid).toMatchObject({ code: 'invalid' });
    expect(inbox.items).toEqual([]);
    expect(inbox.unreadCount).toBe(0);
  });
});
