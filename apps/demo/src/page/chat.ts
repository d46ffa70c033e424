/**
 * The chat: a room list, the room's messages (history replayed on join with `rewind`), a composer
 * and who is here (presence). Messages are keyed by stream offset, so a replay never doubles one.
 */
import type { Member, RealtimeClient, Subscription } from '@oxidite/client';
import { ChatLimit, type ChatMessage, type DemoMethods, type DemoTopics, ROOMS } from '../shared/topics';
import { byTestId, clock, h } from './dom';
import type { Outbox } from './outbox';

/** Options of {@link createChat}. */
export interface ChatOptions {
  readonly client: RealtimeClient<DemoTopics, DemoMethods>;
  /** The logged-in user. */
  readonly user: { readonly id: string; readonly name: string };
  /** Counts the messages sent and not yet acknowledged (the header shows them while offline). */
  readonly outbox: Outbox;
  /** Called when the user opens a room (the page tracks a page view). */
  readonly onRoomChange?: (room: string) => void;
}

type Room = (typeof ROOMS)[number];

/** Mounts the chat on the page shell. */
export function createChat(options: ChatOptions): { join(room: Room): void; stop(): void } {
  const { client, user } = options;
  const roomNav = byTestId('rooms');
  const list = byTestId<HTMLOListElement>('messages');
  const presence = byTestId<HTMLUListElement>('presence');
  const form = byTestId<HTMLFormElement>('chat-form');
  const input = byTestId<HTMLInputElement>('chat-input');
  const error = byTestId('chat-error');
  const empty = byTestId('messages-empty');
  let room: Room | undefined;
  let subscription: Subscription | undefined;
  let offReset = (): void => {};
  /** Offsets shown in the current room. */
  let shown = new Set<string>();

  for (const name of ROOMS) {
    const button = h('button', { text: `# ${name}`, testId: `room-${name}`, attrs: { type: 'button' } });
    button.addEventListener('click', () => join(name));
    roomNav.append(button);
  }

  function render(message: ChatMessage, offset: string, ts: number): void {
    if (shown.has(offset)) return;
    shown.add(offset);
    const isMine = message.author === user.name;
    const item = h('li', { className: isMine ? 'message mine' : 'message', testId: 'message' }, [
      h('span', { className: 'author', text: message.author, testId: 'message-author' }),
      h('time', { className: 'time', text: clock(ts), attrs: { datetime: new Date(ts).toISOString() } }),
      h('p', { className: 'text', text: message.text, testId: 'message-text' }),
    ]);
    item.dataset['offset'] = offset;
    const isAtBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    list.append(item);
    empty.hidden = true;
    if (isAtBottom || isMine) list.scrollTop = list.scrollHeight;
  }

  function renderPresence(members: readonly Member[]): void {
    // One line per user, however many tabs they have open.
    const byUser = new Map<string, { name: string; tabs: number }>();
    for (const member of members) {
      const key = member.user ?? member.client;
      const info = member.info as { name?: unknown } | undefined;
      const name = typeof info?.name === 'string' ? info.name : key;
      const entry = byUser.get(key) ?? { name, tabs: 0 };
      entry.tabs++;
      byUser.set(key, entry);
    }
    const items = [...byUser.entries()]
      .sort(([, a], [, b]) => a.name.localeCompare(b.name))
      .map(([id, { name, tabs }]) =>
        h('li', { testId: 'presence-member', attrs: { 'data-user': id } }, [
          h('span', { className: 'dot', attrs: { 'aria-hidden': 'true' } }),
          h('span', { text: id === user.id ? `${name} (you)` : name }),
          ...(tabs > 1 ? [h('span', { className: 'muted', text: ` · ${tabs} tabs` })] : []),
        ]),
      );
    presence.replaceChildren(...items);
  }

  /** Subscribes to the room, replaying its history; messages already shown are skipped by offset. */
  function subscribe(name: Room): void {
    const sub = client.subscribe(`chat:${name}`, (message, meta) => render(message, meta.offset, meta.ts), {
      rewind: ChatLimit.HISTORY_SIZE,
    });
    sub.on('presence', ({ members }) => renderPresence(members));
    sub.on('subscribed', () => {
      if (shown.size === 0) empty.textContent = `No messages in # ${name} yet. Say hello!`;
    });
    sub.on('error', (e) => {
      error.textContent = e.message;
    });
    // The server could not replay the gap (e.g. it restarted with an in-memory broker): subscribe
    // again with `rewind` to get whatever the room has now; the offsets keep anything from showing twice.
    offReset = sub.on('reset', () => {
      if (subscription !== sub) return;
      leave();
      subscribe(name);
    });
    subscription = sub;
  }

  function leave(): void {
    offReset();
    subscription?.unsubscribe();
    subscription = undefined;
  }

  function join(name: Room): void {
    if (name === room) return;
    leave();
    room = name;
    shown = new Set();
    list.replaceChildren();
    empty.textContent = `Loading # ${name}…`;
    empty.hidden = false;
    presence.replaceChildren();
    error.textContent = '';
    for (const button of roomNav.querySelectorAll('button')) {
      button.setAttribute('aria-current', String(button.dataset['testid'] === `room-${name}`));
    }
    subscribe(name);
    options.onRoomChange?.(name);
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!room || text === '') return;
    input.value = '';
    // While reconnecting, the client holds the publish in its offline queue and sends it on reconnect.
    error.textContent = client.state === 'open' ? '' : 'Queued: it will be sent when the connection is back.';
    options.outbox
      .track(client.publish(`chat:${room}`, { text, author: user.name }))
      .then(() => {
        error.textContent = '';
      })
      .catch((e: unknown) => {
        error.textContent = `Not sent: ${e instanceof Error ? e.message : String(e)}`;
        if (input.value === '') input.value = text;
      });
  });

  return { join, stop: leave };
}
