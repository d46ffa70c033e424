import { createClient } from '@oxidite/client';
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { useNotifications } from '../../src/index';
import {
  methods,
  OxiditeProvider,
  topics,
  useConnectionState,
  usePresence,
  usePublish,
  useSubscription,
} from './topics';

/**
 * The Chromium test's page (bundled with esbuild): a chat with presence, a notification inbox and
 * the connection state, for the user named in `?user=`, under StrictMode as in development. Each
 * part is a text the test waits for.
 */
const user = new URLSearchParams(location.search).get('user') ?? 'guest';

function Chat() {
  const { messages } = useSubscription('chat:lobby');
  const send = usePublish('chat:lobby');
  const [text, setText] = useState('');
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        void send({ text: `${user}: ${text}` });
        setText('');
      }}
    >
      <ul id="messages">
        {messages.map((m) => (
          <li key={m.meta.offset}>{m.data.text}</li>
        ))}
      </ul>
      <input id="text" value={text} onChange={(event) => setText(event.target.value)} />
      <button type="submit">send</button>
    </form>
  );
}

function Here() {
  const members = usePresence('chat:lobby');
  return (
    <p id="here">
      here:{' '}
      {members
        .map((m) => m.user)
        .sort()
        .join(',')}
    </p>
  );
}

function Inbox() {
  const { items, unreadCount } = useNotifications(user);
  return (
    <p id="inbox">
      unread {unreadCount}: {items.map((n) => n.title).join(',')}
    </p>
  );
}

function Status() {
  return <p id="state">state {useConnectionState()}</p>;
}

const client = () =>
  createClient({
    url: `ws://${location.host}/ws`,
    topics,
    methods,
    token: `user-${user}`,
    reconnect: { minDelay: 10, maxDelay: 100 },
  });

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <OxiditeProvider client={client}>
      <Status />
      <Here />
      <Inbox />
      <Chat />
    </OxiditeProvider>
  </StrictMode>,
);
