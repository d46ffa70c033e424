// @vitest-environment happy-dom
import { eventually } from '@oxidite/test-utils';
import { StrictMode } from 'react';
import { describe, expect, it } from 'vitest';
import { connect, render, shows, startServer, type TestClient } from './support/harness';
import { OxiditeProvider, usePresence, useSubscription } from './support/topics';

function Room({ room }: { room: string }) {
  const { messages, state } = useSubscription(`chat:${room}`);
  return (
    <p>
      {room} {state}: {messages.map((m) => m.data.text).join(',')}
    </p>
  );
}

function Members({ room }: { room: string }) {
  return <p>members {usePresence(`chat:${room}`).length}</p>;
}

describe('StrictMode and unmount', () => {
  it('under StrictMode, three components on one topic make one subscribe on the wire', async () => {
    const server = await startServer();
    const client = connect(server.url);
    await client.ready; // subscribes go out at once, so a double mount would show on the wire
    const { container } = render(
      <StrictMode>
        <OxiditeProvider client={client}>
          <Room room="a" />
          <Room room="a" />
          <Members room="a" />
          <Room room="b" />
        </OxiditeProvider>
      </StrictMode>,
    );
    await shows(container, 'a subscribed');
    await shows(container, 'b subscribed');
    await server.rt.publish('chat:a', { text: 'hi' });
    await eventually(
      async () => expect(container.textContent).toBe('a subscribed: hia subscribed: himembers 1b subscribed: '),
      'hi twice',
    );
    expect(server.subscribes.sort()).toEqual(['chat:a', 'chat:b']);
    expect(server.unsubscribes).toEqual([]);
  });

  it('the topic is left when the last component using it unmounts, not before', async () => {
    const server = await startServer();
    const client = connect(server.url);
    await client.ready;
    const app = (rooms: number, members: boolean) => (
      <OxiditeProvider client={client}>
        {rooms > 0 && <Room room="a" />}
        {rooms > 1 && <Room room="a" />}
        {members && <Members room="a" />}
      </OxiditeProvider>
    );
    const { container, rerender } = render(app(2, true));
    await shows(container, 'members 1');
    rerender(app(1, false));
    await server.rt.publish('chat:a', { text: 'still here' });
    await shows(container, 'a subscribed: still here');
    expect(container.textContent).not.toContain('members');
    expect(server.unsubscribes).toEqual([]);
    rerender(app(0, false));
    await eventually(async () => expect(server.unsubscribes).toEqual(['chat:a']), 'chat:a left');
    expect(server.subscribes).toEqual(['chat:a']);
  });

  it('a client the provider created survives StrictMode and is closed when the provider unmounts', async () => {
    const server = await startServer();
    const created: TestClient[] = [];
    const factory = () => {
      const client = connect(server.url);
      created.push(client);
      return client;
    };
    const { container, unmount } = render(
      <StrictMode>
        <OxiditeProvider client={factory}>
          <Room room="a" />
        </OxiditeProvider>
      </StrictMode>,
    );
    await shows(container, 'a subscribed');
    expect(created.map((client) => client.state)).toEqual(['open']);
    expect(server.connections.count).toBe(1);
    unmount();
    await eventually(async () => expect(created[0]?.state).toBe('closed'), 'client closed');
  });

  it('switching a component to another topic leaves the old one and joins the new one', async () => {
    const server = await startServer();
    const client = connect(server.url);
    const app = (room: string) => (
      <OxiditeProvider client={client}>
        <Room room={room} />
      </OxiditeProvider>
    );
    const { container, rerender } = render(app('a'));
    await shows(container, 'a subscribed');
    rerender(app('b'));
    await shows(container, 'b subscribed');
    await eventually(async () => expect(server.unsubscribes).toEqual(['chat:a']), 'chat:a left');
    expect(server.subscribes).toEqual(['chat:a', 'chat:b']);
  });
});
