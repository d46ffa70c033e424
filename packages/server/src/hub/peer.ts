import type { CloseCode } from '@oxidite/protocol';
import type { OutboundEnvelope, OutboundMessage } from './outbound-message';

/**
 * The transport side of a connection: what the hub needs to talk to one client. Each transport
 * (WebSocket, SSE) implements it in a few lines of glue; the hub knows nothing else about it.
 * What crosses it are typed values: each transport encodes them in its own format, once per
 * value however many peers it goes to (see {@link OutboundMessage.cache}).
 */
export interface Peer {
  readonly transport: 'websocket' | 'sse';
  /** Delivers a stream message. */
  deliver(message: OutboundMessage): void;
  /** Sends a control envelope, in order with the messages; a transport drops the types it cannot carry. */
  send(envelope: OutboundEnvelope): void;
  /** Closes with a protocol close code; the reason is trimmed to 123 UTF-8 bytes (RFC 6455 §5.5) and the close counted by code. */
  close(code: CloseCode, reason: string): void;
  /** Stops reading inbound frames (backpressure on a client that sends too fast); idempotent. */
  pauseReading(): void;
  /** Undoes `pauseReading`; idempotent. */
  resumeReading(): void;
  /** Cuts the link at once, without a close handshake (no-op once the link is gone). */
  terminate(): void;
  /** Bytes waiting in the outbound queue for the network (the inspector shows it). */
  readonly queuedBytes: number;
  /** False once closing: what is sent then is dropped (and counted as dropped). */
  readonly isOpen: boolean;
  /** Resolves when the peer has no backlog waiting for the network (history replays pace on it). */
  whenWritable(): Promise<void>;
}
