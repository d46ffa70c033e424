import type { RealtimeStats } from './stats';

type Metric = [name: string, type: 'counter' | 'gauge', help: string, value: number, labels?: string];

/**
 * Renders stats in the Prometheus text exposition format (version 0.0.4).
 * https://prometheus.io/docs/instrumenting/exposition_formats/
 */
export function renderPrometheus(stats: RealtimeStats, prefix = 'oxidite_'): string {
  const metrics: Metric[] = [
    ['connections', 'gauge', 'Open connections.', stats.connections.websocket, 'transport="websocket"'],
    ['connections', 'gauge', 'Open connections.', stats.connections.sse, 'transport="sse"'],
    ['connections_total', 'counter', 'Connections accepted.', stats.connectionsTotal],
    ['connections_refused_total', 'counter', 'Connections refused before opening.', stats.connectionsRefused],
    ['subscriptions', 'gauge', 'Live subscriptions.', stats.subscriptions],
    ['messages_in_total', 'counter', 'Frames received from clients.', stats.messagesIn],
    ['messages_out_total', 'counter', 'Frames sent to clients.', stats.messagesOut],
    ['bytes_in_total', 'counter', 'Bytes received from clients.', stats.bytesIn],
    ['bytes_out_total', 'counter', 'Bytes sent to clients.', stats.bytesOut],
    ['published_total', 'counter', 'Messages published.', stats.published],
    ['dropped_total', 'counter', 'Deliveries dropped.', stats.dropped],
    ['slow_consumers_closed_total', 'counter', 'Connections closed for falling behind.', stats.slowConsumersClosed],
    ['invalid_frames_total', 'counter', 'Inbound frames rejected.', stats.invalidFrames],
    ['forbidden_total', 'counter', 'Requests refused by authorization.', stats.forbidden],
    ['rate_limited_total', 'counter', 'Requests refused by rate limits.', stats.rateLimited],
    ...Object.entries(stats.closes).map(
      ([code, count]): Metric => [
        'closes_total',
        'counter',
        'Connections closed by the server.',
        count,
        `code="${code}"`,
      ],
    ),
  ];
  const lines: string[] = [];
  let previous = '';
  for (const [name, type, help, value, labels] of metrics) {
    const full = prefix + name;
    if (full !== previous) {
      lines.push(`# HELP ${full} ${help}`, `# TYPE ${full} ${type}`);
      previous = full;
    }
    lines.push(`${full}${labels ? `{${labels}}` : ''} ${value}`);
  }
  return `${lines.join('\n')}\n`;
}
