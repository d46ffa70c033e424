// @vitest-environment happy-dom
import type { PublishResult } from '@oxidite/client';
import { eventually } from '@oxidite/test-utils';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { connect, render, shows, startServer } from './support/harness';
import {
  OxiditeProvider,
  useConnectionState,
  usePresence,
  usePublish,
  useRpc,
  useSubscription,
} from './support/topics';

describe('the hooks against a real server', () => {
  it('useSubscription keeps the latest message and a bounded list; onMessage sees fresh props', async () => {
    const server = await startServer();
    const client = connect(server.url);
    const seen: string[] = [];
    function Feed({ label }: { label: string }) {
      const { latest, messages } = useSubscription('chat:lobby', {
        onMessage: (data) => seen.push(`${label}:${data.text}`),
      });
      return (
        <p>
          {label} latest={latest?.text ?? '-'} list={messages.map((m) => m.data.text).join(',')}
        </p>
      );
    }
    const app = (label: string) => (
      <OxiditeProvider client={client} messageLimit={2}>
        <Feed label={label} />
      </OxiditeProvider>
    );
    const { container, rerender } = render(app('old'));
    await eventually(async () => expect(server.subscribes).toEqual(['chat:lobby']), 'subscribed');
    rerender(app('new'));
    await shows(container, 'new latest=-');
    for (const text of ['1', '2', '3']) await server.rt.publish('chat:lobby', { text });
    await shows(container, 'latest=3 list=2,3');
    expect(seen).toEqual(['new:1', 'new:2', 'new:3']);
  });

  it('usePresence follows who joins and leaves, across clients', async () => {
    const server = await startServer();
    const alice = connect(server.url, { token: 'user-alice' });
    const bob = connect(server.url, { token: 'user-bob' });
    function Who() {
      const members = usePresence('chat:lobby');
      return (
        <p>
          here:{' '}
          {members
            .map((m) => m.user ?? '?')
            .sort()
            .join(',')}
        </p>
      );
    }
    const a = render(
      <OxiditeProvider client={alice}>
        <Who />
      </OxiditeProvider>,
    );
    await shows(a.container, 'here: alice');
    const b = render(
      <OxiditeProvider client={bob}>
        <Who />
      </OxiditeProvider>,
    );
    await shows(a.container, 'here: alice,bob');
    await shows(b.container, 'here: alice,bob');
    b.unmount();
    await eventually(async () => expect(a.container.textContent).toBe('here: alice'), 'bob left');
  });

  it('usePublish resolves on the ack with a stable function; useRpc returns the typed reply', async () => {
    const server = await startServer();
    const client = connect(server.url);
    const results: PublishResult[] = [];
    const publishers = new Set<unknown>();
    function Sender() {
      const [, setCount] = useState(0);
      const send = usePublish('chat:lobby');
      const double = useRpc('math.double');
      const [doubled, setDoubled] = useState<number>();
      publishers.add(send);
      return (
        <button
          type="button"
          onClick={async () => {
            results.push(await send({ text: 'hey' }));
            setDoubled((await double({ n: 21 })).n);
            setCount((n) => n + 1);
          }}
        >
          doubled={doubled ?? '-'}
        </button>
      );
    }
    function Reader() {
      return <p>got={useSubscription('chat:lobby').latest?.text ?? '-'}</p>;
    }
    const { container } = render(
      <OxiditeProvider client={client}>
        <Sender />
        <Reader />
      </OxiditeProvider>,
    );
    await eventually(async () => expect(server.subscribes).toEqual(['chat:lobby']), 'subscribed');
    container.querySelector('button')?.click();
    await shows(container, 'doubled=42');
    await shows(container, 'got=hey');
    expect(results).toEqual([{ offset: expect.stringMatching(/:1$/) }]);
    expect(publishers.size).toBe(1);
  });

  it('useConnectionState follows the client through a server restart on the same port; onReset reports the lost gap', async () => {
    const server = await startServer();
    const client = connect(server.url);
    const states: string[] = [];
    const resets: string[] = [];
    function Status() {
      const state = useConnectionState();
      if (states.at(-1) !== state) states.push(state);
      const chat = useSubscription('chat:lobby', { onReset: ({ offset }) => resets.push(offset) });
      return (
        <p>
          state={state} chat={chat.state}
        </p>
      );
    }
    const { container } = render(
      <OxiditeProvider client={client}>
        <Status />
      </OxiditeProvider>,
    );
    await shows(container, 'state=open chat=subscribed');
    await server.close();
    await shows(container, 'state=reconnecting');
    await startServer(server.port);
    await shows(container, 'state=open');
    expect(states).toEqual(['connecting', 'open', 'reconnecting', 'open']);
    // The restarted server's memory broker has a new epoch: the subscription could not resume.
    expect(resets).toHaveLength(1);
  });

  it('a topic outside the map shows `failed` with the error instead of throwing', async () => {
    const server = await startServer();
    const client = connect(server.url);
    function Bad() {
      const { state, error } = useSubscription('nope' as 'prices');
      return (
        <p>
          {state} {error?.code}
        </p>
      );
    }
    const { container } = render(
      <OxiditeProvider client={client}>
        <Bad />
      </OxiditeProvider>,
    );
    await shows(container, 'failed unknown_topic');
  });

  it('rewind: the first component to subscribe gets recent history first', async () => {
    const server = await startServer();
    for (const text of ['1', '2', '3']) await server.rt.publish('chat:lobby', { text });
    const client = connect(server.url);
    function History() {
      const { messages } = useSubscription('chat:lobby', { rewind: 2 });
      return <p>history={messages.map((m) => m.data.text).join(',')}</p>;
    }
    const { container } = render(
      <OxiditeProvider client={client}>
        <History />
      </OxiditeProvider>,
    );
    await shows(container, 'history=2,3');
    await server.rt.publish('chat:lobby', { text: '4' });
    await shows(container, 'history=2,3,4');
  });
});
