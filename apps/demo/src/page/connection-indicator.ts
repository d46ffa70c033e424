/** The connection indicator: `connecting`, `live`, `reconnecting` or `offline`, from the client's state. */
import type { ClientState, RealtimeClient } from '@oxidite/client';
import type { TopicMap } from '@oxidite/protocol';
import { byTestId } from './dom';

const LABELS: Readonly<Record<ClientState, string>> = {
  connecting: 'connecting',
  open: 'live',
  reconnecting: 'reconnecting',
  closed: 'offline',
};

/** Shows `client.state` in the header and follows every change. */
export function mountConnectionIndicator<T extends TopicMap>(client: RealtimeClient<T>): () => void {
  const element = byTestId('conn');
  const show = (state: ClientState): void => {
    element.textContent = LABELS[state];
    element.dataset['state'] = state;
    document.body.dataset['conn'] = state; // lets the stylesheet dim what may be stale
    element.title = state === 'reconnecting' ? 'Connection lost: retrying with backoff' : '';
  };
  show(client.state);
  return client.on('state', ({ to }) => show(to));
}
