// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { useNotifications } from '../src/index';
import { connect, render, shows, startServer } from './support/harness';
import { OxiditeProvider } from './support/topics';

function Inbox({ user }: { user: string }) {
  const { items, unreadCount, isReady, error, markRead } = useNotifications(user);
  return (
    <div>
      <p>
        {isReady ? 'ready' : 'loading'} unread={unreadCount} {error?.code}
      </p>
      {items.map((item) => (
        <button type="button" key={item.id} onClick={() => void markRead([item.id])}>
          {item.title}:{item.read ? 'read' : 'new'}
        </button>
      ))}
    </div>
  );
}

describe('useNotifications', () => {
  it('shows the inbox live in two tabs: a notification arrives in both, a read in one shows in the other', async () => {
    const server = await startServer();
    await server.notifications.send('alice', { title: 'old', body: 'before the page', category: 'test' });
    const tabs = [1, 2].map(() =>
      render(
        <OxiditeProvider client={connect(server.url, { token: 'user-alice' })}>
          <Inbox user="alice" />
          <Inbox user="alice" />
        </OxiditeProvider>,
      ),
    );
    for (const tab of tabs) await shows(tab.container, 'ready unread=1 old:new');
    await server.notifications.send('alice', { title: 'hello', body: 'live', category: 'test' });
    for (const tab of tabs) await shows(tab.container, 'ready unread=2');
    const [first, second] = tabs;
    first?.container.querySelector('button')?.click();
    await shows(second?.container as HTMLElement, 'ready unread=1 hello:readold:new');
    // Two components in a tab share one inbox: one subscription per tab on the server.
    expect(server.subscribes).toEqual(['notifications:alice', 'notifications:alice']);
  });

  it('an inbox the server refuses shows the error', async () => {
    const server = await startServer();
    const { container } = render(
      <OxiditeProvider client={connect(server.url, { token: 'user-mallory' })}>
        <Inbox user="alice" />
      </OxiditeProvider>,
    );
    await shows(container, 'loading unread=0 forbidden');
  });
});
