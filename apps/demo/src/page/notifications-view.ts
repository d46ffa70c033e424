/** The bell with its unread badge and the inbox list: mark read per item or all, and a test notification over HTTP. */
import type { Notification, NotificationInbox } from '@oxidite/client';
import { byTestId, clock, h } from './dom';
import { api, type Session } from './session';
import type { Tabs } from './tabs';

/**
 * Mounts the inbox on the page shell and keeps it in step with `inbox`. The bell opens the
 * notifications tab on a narrow screen, and shows or hides the panel on a wide one.
 */
export function mountNotifications(inbox: NotificationInbox, session: Session, tabs: Tabs): () => void {
  const badge = byTestId('unread-count');
  const bell = byTestId('bell');
  const panel = byTestId('inbox');
  const list = byTestId<HTMLUListElement>('notifications');
  const empty = byTestId('notifications-empty');
  const loadMore = byTestId<HTMLButtonElement>('load-more');
  const markAll = byTestId<HTMLButtonElement>('mark-all-read');
  const sendTest = byTestId<HTMLButtonElement>('send-test-notification');
  let sent = 0;

  function item(notification: Notification): HTMLLIElement {
    const li = h(
      'li',
      { className: notification.read ? 'notification read' : 'notification', testId: 'notification' },
      [
        h('div', { className: 'notification-head' }, [
          h('strong', { text: notification.title, testId: 'notification-title' }),
          h('time', { className: 'muted', text: clock(notification.createdAt) }),
        ]),
        ...(notification.body ? [h('p', { text: notification.body, testId: 'notification-body' })] : []),
      ],
    );
    li.dataset['id'] = notification.id;
    li.dataset['read'] = String(notification.read);
    if (!notification.read) {
      const button = h('button', {
        className: 'link',
        text: 'Mark read',
        testId: 'mark-read',
        attrs: { type: 'button' },
      });
      button.addEventListener('click', () => void inbox.markRead([notification.id]).catch(() => {}));
      li.append(button);
    }
    return li;
  }

  function render(): void {
    const count = inbox.unreadCount;
    badge.textContent = count > 99 ? '99+' : String(count);
    badge.dataset['count'] = String(count);
    bell.setAttribute('aria-label', `Notifications, ${count} unread`);
    list.replaceChildren(...inbox.items.map(item));
    empty.hidden = inbox.items.length > 0;
    loadMore.hidden = !inbox.hasMore;
    markAll.disabled = count === 0;
  }

  bell.addEventListener('click', () => {
    if (tabs.isTabbed) {
      panel.hidden = false;
      tabs.select('inbox');
    } else {
      panel.hidden = !panel.hidden;
    }
    bell.setAttribute('aria-expanded', String(!panel.hidden));
  });
  markAll.addEventListener('click', () => void inbox.markAllRead().catch(() => {}));
  loadMore.addEventListener('click', () => void inbox.loadMore().catch(() => {}));
  sendTest.addEventListener('click', () => {
    sent++;
    // Over plain HTTP on purpose: the server stores it and every open tab gets it over its WebSocket.
    void api('/api/notify', {
      token: session.token,
      body: { title: `Test notification #${sent}`, body: `Sent at ${clock(Date.now())} from this page over HTTP.` },
    }).catch(() => {});
  });

  const offChange = inbox.on('change', render);
  const offError = inbox.on('error', (error) => console.warn('inbox:', error.code, error.message));
  render();
  return () => {
    offChange();
    offError();
  };
}
