import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { useEventStream, useNotifications } from '../src/index';
import { connect, startServer } from './support/harness';
import {
  OxiditeProvider,
  topics,
  useConnectionState,
  usePresence,
  usePublish,
  useSubscription,
} from './support/topics';

function Page() {
  const state = useConnectionState();
  const chat = useSubscription('chat:lobby');
  const members = usePresence('chat:lobby');
  const inbox = useNotifications('alice');
  const stream = useEventStream('/events', { topics, handlers: { prices: () => {} } });
  usePublish('chat:lobby');
  return (
    <main>
      {state} {chat.state} {chat.messages.length} {members.length} {inbox.unreadCount} {String(inbox.isReady)}{' '}
      {stream.state}
    </main>
  );
}

describe('server rendering', () => {
  it('renders the initial state and opens no socket: the client factory is never called', async () => {
    const server = await startServer();
    let created = 0;
    const html = renderToString(
      <OxiditeProvider
        client={() => {
          created++;
          return connect(server.url);
        }}
      >
        <Page />
      </OxiditeProvider>,
    );
    expect(html).toBe(
      '<main>connecting<!-- --> <!-- -->subscribing<!-- --> <!-- -->0<!-- --> <!-- -->0<!-- --> <!-- -->0<!-- --> <!-- -->false<!-- --> <!-- -->connecting</main>',
    );
    expect(created).toBe(0);
    // A round trip through the server: had a connection been opened, it would be counted by now.
    const probe = connect(server.url);
    await probe.ready;
    expect(server.connections.count).toBe(1);
  });
});
