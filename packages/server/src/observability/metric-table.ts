import type { RealtimeStats } from './stats';

/** One exported value of {@link RealtimeStats}. */
export interface StatMetric {
  /** The name without prefix, Prometheus style (`connections_total`). */
  readonly name: string;
  /** Counters only go up (since start); gauges go both ways. */
  readonly type: 'counter' | 'gauge';
  readonly help: string;
  readonly value: number;
  readonly labels?: Readonly<Record<string, string>> | undefined;
}

/**
 * The one table of what the counters mean, read by both expositions (Prometheus text and the
 * OpenTelemetry meter), so the two can never disagree. Rows of one name are adjacent.
 */
export function statMetrics(stats: RealtimeStats): StatMetric[] {
  const row = (name: string, type: StatMetric['type'], help: string, value: number, labels?: StatMetric['labels']) =>
    labels ? { name, type, help, value, labels } : { name, type, help, value };
  return [
    row('connections', 'gauge', 'Open connections.', stats.connections.websocket, { transport: 'websocket' }),
    row('connections', 'gauge', 'Open connections.', stats.connections.sse, { transport: 'sse' }),
    row('connections_total', 'counter', 'Connections accepted.', stats.connectionsTotal),
    row('connections_refused_total', 'counter', 'Connections refused before opening.', stats.connectionsRefused),
    row('subscriptions', 'gauge', 'Live subscriptions.', stats.subscriptions),
    row('messages_in_total', 'counter', 'Frames received from clients.', stats.messagesIn),
    row('messages_out_total', 'counter', 'Frames sent to clients.', stats.messagesOut),
    row('bytes_in_total', 'counter', 'Bytes received from clients.', stats.bytesIn),
    row('bytes_out_total', 'counter', 'Bytes sent to clients.', stats.bytesOut),
    row('published_total', 'counter', 'Messages published.', stats.published),
    row('dropped_total', 'counter', 'Deliveries dropped.', stats.dropped),
    row('slow_consumers_closed_total', 'counter', 'Connections closed for falling behind.', stats.slowConsumersClosed),
    row('invalid_frames_total', 'counter', 'Inbound frames rejected.', stats.invalidFrames),
    row('forbidden_total', 'counter', 'Requests refused by authorization.', stats.forbidden),
    row('rate_limited_total', 'counter', 'Requests refused by rate limits.', stats.rateLimited),
    ...Object.entries(stats.closes).map(([code, count]) =>
      row('closes_total', 'counter', 'Connections closed by the server.', count, { code }),
    ),
  ];
}
