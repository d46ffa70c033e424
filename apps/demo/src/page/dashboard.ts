/**
 * The live analytics dashboard, fed over Server-Sent Events (`createEventStream`): the server
 * publishes a snapshot on `analytics:metrics` every 2 s. The first numbers come from GET
 * /api/metrics, since an SSE stream starts with the next publish. The stream reconnects by
 * itself, also after a 503 while the server restarts, so the page keeps no watchdog of its own.
 */
import { createEventStream, type EventStreamClient } from '@oxidite/client';
import type { MetricsSnapshot } from '@oxidite/protocol';
import { topics } from '../shared/topics';
import { renderChart } from './chart';
import { byTestId, clock, h } from './dom';

/** Starts the dashboard; returns its stop function. */
export function startDashboard(options: { readonly token: () => string }): () => void {
  const pageViews = byTestId('metric-page-views');
  const visitors = byTestId('metric-unique-visitors');
  const active = byTestId('metric-active-users');
  const at = byTestId('metrics-at');
  const chartHost = byTestId('chart-host');
  const counts = byTestId('event-counts');
  let latest = 0;
  let last: MetricsSnapshot | undefined;

  function drawChart(): void {
    if (last && chartHost.clientWidth > 0)
      chartHost.replaceChildren(renderChart(last.perMinute, chartHost.clientWidth));
  }
  // Drawn in real pixels: a new width (a phone turned, a window resized) needs a new drawing.
  const resizes = new ResizeObserver(drawChart);
  resizes.observe(chartHost);

  function render(snapshot: MetricsSnapshot): void {
    if (snapshot.at < latest) return; // an HTTP answer that lost the race with the stream
    latest = snapshot.at;
    pageViews.textContent = String(snapshot.pageViews);
    visitors.textContent = String(snapshot.uniqueVisitors);
    active.textContent = String(snapshot.activeUsers);
    at.textContent = `as of ${clock(snapshot.at)}`;
    at.dataset['at'] = String(snapshot.at);
    last = snapshot;
    drawChart();
    const rows = Object.entries(snapshot.eventCounts)
      .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
      .map(([type, count]) =>
        h('tr', { testId: 'event-count', attrs: { 'data-type': type } }, [
          h('th', { text: type, attrs: { scope: 'row' } }),
          h('td', { text: String(count) }),
        ]),
      );
    counts.replaceChildren(...rows);
  }

  const stream: EventStreamClient = createEventStream('/events', {
    topics,
    handlers: { 'analytics:metrics': render },
    token: options.token,
    // A demo server restarts in a second: retry sooner than the SDK's 30 s ceiling.
    reconnect: { minDelay: 250, maxDelay: 2_000 },
  });
  fetch('/api/metrics')
    .then((response) => (response.ok ? (response.json() as Promise<MetricsSnapshot>) : undefined))
    .then((snapshot) => snapshot && render(snapshot))
    .catch(() => {});

  return () => {
    stream.close();
    resizes.disconnect();
  };
}
