// @vitest-environment happy-dom
import { hydrateRoot } from 'react-dom/client';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { connect, onTeardown, shows, startServer, type TestClient } from './support/harness';
import { OxiditeProvider, useConnectionState, useSubscription } from './support/topics';

function Room() {
  const { state, latest } = useSubscription('chat:lobby');
  return (
    <p>
      {useConnectionState()} {state} {latest?.text ?? '-'}
    </p>
  );
}

describe('hydration', () => {
  it('the server-rendered page hydrates without a mismatch, then connects and subscribes once', async () => {
    const server = await startServer();
    const created: TestClient[] = [];
    const app = (
      <OxiditeProvider
        client={() => {
          const client = connect(server.url);
          created.push(client);
          return client;
        }}
      >
        <Room />
      </OxiditeProvider>
    );
    const container = document.createElement('div');
    container.innerHTML = renderToString(app);
    document.body.append(container);
    expect(container.textContent).toBe('connecting subscribing -');
    expect(created).toEqual([]);
    const mismatches: unknown[] = [];
    const root = hydrateRoot(container, app, { onRecoverableError: (error) => mismatches.push(error) });
    onTeardown(() => root.unmount());
    await shows(container, 'open subscribed -');
    await server.rt.publish('chat:lobby', { text: 'hydrated' });
    await shows(container, 'open subscribed hydrated');
    expect(mismatches).toEqual([]);
    expect(created).toHaveLength(1);
    expect(server.subscribes).toEqual(['chat:lobby']);
  });
});
