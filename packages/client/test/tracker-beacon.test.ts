import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AnalyticsEvent } from '@oxidite/protocol';
import { type AnalyticsService, createAnalyticsHandlers, createAnalyticsService } from '@oxidite/server';
import { describe, expect, it } from 'vitest';
import { createTracker, type SendBeacon, type Tracker, type TrackerOptions } from '../src/index';
import { createCondition, onTeardown } from './support/harness';

/**
 * Page hide. Node has no `document`, `window`, `navigator` or `location`: these tests put minimal
 * ones on `globalThis` (an `EventTarget` is what the tracker listens on) and remove them after.
 * Everything else is real: the beacons' bodies are POSTed to the ingest endpoint the way a browser
 * sends a string beacon, as `text/plain;charset=UTF-8`.
 */

interface Endpoint {
  readonly url: string;
  readonly service: AnalyticsService;
  /** The content type of each request answered, in order. */
  readonly types: (string | undefined)[];
  requests(n: number): Promise<void>;
}

async function startEndpoint(): Promise<Endpoint> {
  const service = createAnalyticsService({ flushInterval: 0, publishInterval: 0 });
  const { ingest } = createAnalyticsHandlers(service);
  const types: (string | undefined)[] = [];
  const arrived = createCondition();
  const server = createServer((req, res) => {
    res.on('finish', () => {
      if (res.statusCode === 202) types.push(req.headers['content-type']);
      arrived.notify();
    });
    void ingest(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTeardown(() => service.close());
  onTeardown(() => new Promise((resolve) => server.close(resolve)));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/analytics`,
    service,
    types,
    requests: (n) => arrived.until(() => types.length >= n, `${n} accepted requests (have ${types.length})`),
  };
}

/** Puts a `document` and a `window` (and `extra` globals) on `globalThis` until the test ends. */
function installBrowserGlobals(extra: Record<string, unknown> = {}) {
  const document = Object.assign(new EventTarget(), { visibilityState: 'visible' });
  const window = new EventTarget();
  const globals: Record<string, unknown> = { document, window, ...extra };
  for (const [name, value] of Object.entries(globals)) {
    Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
  }
  onTeardown(() => {
    for (const name of Object.keys(globals)) Reflect.deleteProperty(globalThis, name);
  });
  const setVisibility = (state: 'hidden' | 'visible'): void => {
    document.visibilityState = state;
    document.dispatchEvent(new Event('visibilitychange'));
  };
  return {
    hide: () => setVisibility('hidden'),
    show: () => setVisibility('visible'),
    pagehide: () => window.dispatchEvent(new Event('pagehide')),
  };
}

/** A `sendBeacon` that POSTs the body as a browser does for a string; records the events it carried. */
function beaconTo(accepts = true): { sendBeacon: SendBeacon; beacons: AnalyticsEvent[][] } {
  const beacons: AnalyticsEvent[][] = [];
  const sendBeacon: SendBeacon = (url, body) => {
    beacons.push((JSON.parse(body) as { events: AnalyticsEvent[] }).events);
    if (!accepts) return false;
    void fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain;charset=UTF-8' }, body });
    return true;
  };
  return { sendBeacon, beacons };
}

function trackerFor(options: TrackerOptions): Tracker {
  const tracker = createTracker(options);
  onTeardown(() => tracker.close());
  return tracker;
}

const types = (batches: AnalyticsEvent[][]): string[][] => batches.map((batch) => batch.map((event) => event.type));

describe('tracker on page hide', () => {
  it('hands the queue to sendBeacon when the page is hidden or left, as text/plain the endpoint accepts', async () => {
    const page = installBrowserGlobals();
    const endpoint = await startEndpoint();
    const { sendBeacon, beacons } = beaconTo();
    const tracker = trackerFor({ url: endpoint.url, sendBeacon, flushInterval: 0 });

    tracker.track('a');
    tracker.track('b');
    page.hide();
    expect(types(beacons)).toEqual([['a', 'b']]);
    await endpoint.requests(1);
    expect(endpoint.types).toEqual(['text/plain;charset=UTF-8']);

    page.pagehide(); // the same hide often fires both: nothing is left to send
    page.show();
    tracker.track('c');
    page.show(); // visible again: nothing is sent
    expect(beacons).toHaveLength(1);
    page.pagehide();
    expect(types(beacons)).toEqual([['a', 'b'], ['c']]);
    await endpoint.requests(2);
    expect((await endpoint.service.metrics()).eventCounts).toEqual({ a: 1, b: 1, c: 1 });

    await tracker.close();
    page.hide(); // no longer listening
    expect(beacons).toHaveLength(2);
  });

  it('leaves what sendBeacon refuses (the quota is full) to fetch', async () => {
    const page = installBrowserGlobals();
    const endpoint = await startEndpoint();
    const { sendBeacon, beacons } = beaconTo(false);
    const tracker = trackerFor({ url: endpoint.url, sendBeacon, flushInterval: 0 });
    tracker.track('a');
    page.hide();
    expect(beacons).toHaveLength(1);
    await endpoint.requests(1);
    expect(endpoint.types).toEqual(['application/json']);
    expect((await endpoint.service.metrics()).eventCounts).toEqual({ a: 1 });
  });

  it('uses navigator.sendBeacon (called on navigator) and location.pathname by default', () => {
    const calls: { isBound: boolean; url: string; body: string }[] = [];
    const navigator = {
      sendBeacon(this: unknown, url: string, body: string): boolean {
        calls.push({ isBound: this === navigator, url, body });
        return true;
      },
    };
    const page = installBrowserGlobals({ navigator, location: { pathname: '/docs' } });
    const tracker = trackerFor({ url: 'https://example.com/analytics', flushInterval: 0 });
    tracker.pageView();
    page.hide();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ isBound: true, url: 'https://example.com/analytics' });
    const [event] = (JSON.parse(calls[0]?.body ?? '') as { events: AnalyticsEvent[] }).events;
    expect(event).toMatchObject({ type: 'page_view', properties: { path: '/docs' } });
    expect(event?.sessionId).toMatch(/^[0-9a-f-]{32,36}$/);
  });
});
