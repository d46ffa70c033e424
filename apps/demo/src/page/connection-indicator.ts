/**
 * The connection indicator in the header says in words what the connection is doing: `not
 * connected` (the login page, before any connection exists), `connecting…`, `live`, `reconnecting
 * in 2 s` (counting down to the attempt the client scheduled: its `retry` event), `offline` (the
 * browser has no network), `refused` (the server said stop), each with the number of chat
 * messages waiting to be acknowledged (`· 2 queued`).
 */
import type { ClientState, RealtimeClient, StateChange } from '@oxidite/client';
import { CloseCode, type TopicMap } from '@oxidite/protocol';
import { byTestId } from './dom';
import type { Outbox } from './outbox';

/** What the indicator needs to know, as plain values. */
export interface ConnectionStatus {
  readonly state: ClientState;
  /** The close code of the last change, if it came from a close. */
  readonly code?: number | undefined;
  /** `navigator.onLine`: false when the browser knows it has no network. */
  readonly isOnline: boolean;
  /** Chat messages sent but not acknowledged. */
  readonly queued: number;
  /** Milliseconds until the next attempt the client scheduled; undefined or ≤ 0 while one is under way. */
  readonly retryIn?: number | undefined;
}

/** The indicator's words for `status`. */
export function connectionLabel(status: ConnectionStatus): string {
  const queued = status.queued > 0 ? ` · ${status.queued} queued` : '';
  switch (status.state) {
    case 'connecting':
      return 'connecting…';
    case 'open':
      // A dead network is noticed by the browser at once, by the client only at its next missed
      // heartbeat: until then, say offline and count what waits for an acknowledgement.
      return status.isOnline ? 'live' : `offline${queued}`;
    case 'reconnecting':
      if (!status.isOnline) return `offline${queued}`;
      return status.retryIn !== undefined && status.retryIn > 0
        ? `reconnecting in ${Math.ceil(status.retryIn / 1000)} s${queued}`
        : `reconnecting…${queued}`;
    case 'closed':
      return status.code === undefined || status.code === CloseCode.NORMAL ? 'disconnected' : `refused${queued}`;
  }
}

/** Options of {@link mountConnectionIndicator}. */
export interface IndicatorOptions {
  /** The page's unacknowledged chat messages. */
  readonly outbox: Outbox;
}

/** Shows the client's connection in the header and follows every change; returns the function that stops it. */
export function mountConnectionIndicator<T extends TopicMap>(
  client: RealtimeClient<T>,
  options: IndicatorOptions,
): () => void {
  const element = byTestId('conn');
  let last: Pick<StateChange, 'to' | 'code' | 'reason'> = { to: client.state };
  let retryAt: number | undefined;
  const show = (): void => {
    const { to, code, reason } = last;
    const isOnline = navigator.onLine;
    element.textContent = connectionLabel({
      state: to,
      code,
      isOnline,
      queued: options.outbox.size,
      retryIn: retryAt === undefined ? undefined : retryAt - Date.now(),
    });
    element.dataset['state'] = to;
    element.dataset['online'] = String(isOnline);
    document.body.dataset['conn'] = to; // lets the stylesheet dim what may be stale
    element.title = to === 'open' ? '' : (reason ?? '');
  };
  show();
  const stops = [
    client.on('state', (change) => {
      last = change;
      if (change.to !== 'reconnecting') retryAt = undefined;
      show();
    }),
    client.on('retry', ({ delay }) => {
      retryAt = Date.now() + delay;
      show();
    }),
    options.outbox.onChange(show),
  ];
  // The countdown: redrawn while an attempt is scheduled.
  const ticker = setInterval(() => {
    if (retryAt !== undefined) show();
  }, 250);
  window.addEventListener('online', show);
  window.addEventListener('offline', show);
  return () => {
    clearInterval(ticker);
    for (const stop of stops) stop();
    window.removeEventListener('online', show);
    window.removeEventListener('offline', show);
  };
}
