/**
 * The demo page: log in with a name, then chat (presence, history), a live notification inbox and
 * an analytics dashboard over SSE. No framework; all user content is rendered as text.
 */
import { createClient, createNotificationInbox, createTracker, type RealtimeClient } from '@oxidite/client';
import { type DemoMethods, type DemoTopics, methods, topics } from '../shared/topics';
import { createChat } from './chat';
import { mountConnectionIndicator } from './connection-indicator';
import { startDashboard } from './dashboard';
import { byTestId } from './dom';
import { mountNotifications } from './notifications-view';
import { createOutbox } from './outbox';
import { ApiError, api, forgetSession, login, restoreSession, type Session } from './session';
import { mountTabs } from './tabs';

function showLogin(): void {
  const section = byTestId('login');
  const form = byTestId<HTMLFormElement>('login-form');
  const input = byTestId<HTMLInputElement>('login-name');
  const error = byTestId('login-error');
  section.hidden = false;
  input.focus();
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    error.textContent = '';
    login(input.value)
      .then((session) => {
        section.hidden = true;
        start(session);
      })
      .catch((e: unknown) => {
        error.textContent = e instanceof Error ? e.message : String(e);
      });
  });
}

/** A demo server restarts in a second: retry sooner than the SDK's 30 s ceiling. */
const RECONNECT = { minDelay: 250, maxDelay: 2_000 } as const;

function start(session: Session): void {
  const { user } = session;
  byTestId('me').hidden = false;
  byTestId('me-name').textContent = user.name;
  byTestId('app').hidden = false;

  const client = createClient({
    url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`,
    topics,
    methods,
    token: () => session.token,
    reconnect: RECONNECT,
  });
  const outbox = createOutbox();
  mountConnectionIndicator(client, { outbox });
  watchToken(client, session);

  // Small batches, sent within a second, so the dashboard moves while you click around.
  const tracker = createTracker({ url: '/api/analytics', userId: user.id, flushInterval: 1_000 });
  document.addEventListener('click', (event) => {
    const target = (event.target as Element | null)?.closest<HTMLElement>('button, a');
    if (target) tracker.track('click', { target: target.dataset['testid'] ?? target.tagName.toLowerCase() });
  });

  const chat = createChat({
    client,
    user,
    outbox,
    onRoomChange: (room) => {
      history.replaceState(null, '', `#${room}`);
      tracker.pageView(`/#${room}`);
    },
  });
  chat.join(location.hash === '#random' ? 'random' : 'lobby');

  const inbox = createNotificationInbox(client, { userId: user.id });
  mountNotifications(inbox, session, mountTabs());
  inbox.start().catch((error: unknown) => console.warn('inbox did not start:', error));

  // This page's own view is sent first, so the first numbers count it: a dashboard that opens on
  // "Page views 0" beside "Unique visitors 1" (the login) looks broken.
  void tracker
    .flush()
    .catch(() => undefined)
    .then(() => startDashboard({ token: () => session.token }));

  byTestId('logout').addEventListener('click', () => {
    client.close();
    forgetSession();
    location.reload();
  });
}

/**
 * A server restarted without DEMO_SECRET signs with a new key: the old token is refused at the
 * WebSocket handshake, which a browser only reports as a dropped connection. While reconnecting,
 * ask the API whether the token still works, and go back to the name prompt when it does not.
 */
function watchToken(client: Pick<RealtimeClient<DemoTopics, DemoMethods>, 'on'>, session: Session): void {
  let timer: ReturnType<typeof setInterval> | undefined;
  const relogin = (): void => {
    forgetSession();
    location.reload();
  };
  client.on('state', ({ to, code }) => {
    if (to === 'closed' && code === 4401) return relogin();
    if (to !== 'reconnecting') {
      clearInterval(timer);
      timer = undefined;
      return;
    }
    timer ??= setInterval(() => {
      api('/api/me', { token: session.token }).catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 401) relogin();
      });
    }, 3_000);
  });
}

restoreSession()
  .then((session) => (session ? start(session) : showLogin()))
  .catch(() => showLogin());
