import type { RealtimeServerEvents } from '../events';
import type { Log, LogLevel } from './logger';

type On = <E extends keyof RealtimeServerEvents>(
  event: E,
  listener: (...args: RealtimeServerEvents[E]) => void,
) => unknown;

/**
 * The level of a connection's end, by close code: an operator should be woken by a server in
 * trouble (1011) or clients it sheds (1013 slow consumer, 4429 abuse), not by every tab closing.
 */
export function closeLevel(code: number): LogLevel {
  if (code === 1011 || code === 1013 || code === 4429) return 'warn';
  if (code === 1000 || code === 1001 || code === 1005 || code === 1006) return 'debug';
  return 'info';
}

/**
 * Logs the server's lifecycle events: the log is one more listener of the events `rt.on` serves,
 * so a line exists exactly when an event does. Nothing is logged per message.
 */
export function logServerEvents(on: On, log: Log): void {
  on('connection', (connection) => {
    log.debug('connection.open', 'connection opened', {
      connectionId: connection.id,
      transport: connection.transport,
      userId: connection.principal?.id,
      address: connection.remoteAddress,
    });
  });
  on('disconnect', (connection, close) => {
    log[closeLevel(close.code)]('connection.close', 'connection closed', {
      connectionId: connection.id,
      transport: connection.transport,
      userId: connection.principal?.id,
      code: close.code,
      reason: close.reason,
    });
  });
  on('subscribe', (connection, subscription) => {
    // A resubscribe that could not fill its gap is what "I didn't get the message" looks like.
    const level = subscription.recovered === false ? 'info' : 'debug';
    log[level]('subscribe', 'subscribed', {
      connectionId: connection.id,
      topic: subscription.topic,
      offset: subscription.offset,
      recovered: subscription.recovered,
      replayed: subscription.replayed,
    });
  });
  on('unsubscribe', (connection, subscription) => {
    log.debug('unsubscribe', 'unsubscribed', {
      connectionId: connection.id,
      topic: subscription.topic,
      reason: subscription.reason,
    });
  });
  on('error', (error, where) => {
    log.error('internal_error', `${where} failed`, { where, err: error });
  });
}
