// @vitest-environment happy-dom
import { StrictMode } from 'react';
import { eventually } from '@oxidite/test-utils';
import { describe, expect, it } from 'vitest';
import { useEventStream } from '../src/index';
import { connect, render, shows, startServer } from './support/harness';
import { OxiditeProvider, topics } from './support/topics';

describe('useEventStream', () => {
  it('components asking for the same URL and topics share one typed stream, also under StrictMode', async () => {
    const server = await startServer();
    // The page is served by the server, as a page using SSE would be (the server sends no CORS headers).
    (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(server.origin);
    const url = '/events';
    function Price({ label }: { label: string }) {
      const seen: string[] = [];
      const { state, error } = useEventStream(url, {
        topics,
        handlers: { prices: (price) => seen.push(`${price.symbol}=${price.price}`) },
        reconnect: { minDelay: 10, maxDelay: 50 },
      });
      return (
        <p>
          {label} {state} {error?.message}
        </p>
      );
    }
    const prices: string[] = [];
    function Ticker() {
      useEventStream(url, { topics, handlers: { prices: (price) => prices.push(`${price.symbol}=${price.price}`) } });
      return null;
    }
    let created = 0;
    const { container } = render(
      <StrictMode>
        <OxiditeProvider
          client={() => {
            created++;
            return connect(server.url);
          }}
        >
          <Price label="a" />
          <Price label="b" />
          <Ticker />
        </OxiditeProvider>
      </StrictMode>,
    );
    await shows(container, 'a open b open');
    await server.rt.publish('prices', { symbol: 'OXI', price: 42 });
    await eventually(async () => expect(prices).toEqual(['OXI=42']), 'the price');
    expect(server.subscribes).toEqual(['prices']);
    expect(server.connections.count).toBe(1); // one SSE stream for the three components
    expect(created).toBe(0); // the WebSocket client was never needed
  });
});
