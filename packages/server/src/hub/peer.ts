import type { CloseCode } from '@oxidite/protocol';
import type { OutboundMessage } from './outbound-message';

/**
 * The transport side of a connection: what the hub needs to talk to one client. Each transport
 * (WebSocket, SSE) implements it in a few lines of glue; the hub knows nothing else about it.
 */
export interface Peer {
  readonly transport: 'websocket' | 'sse';
  /** Delivers a stream message (its frame is built once and shared by every peer). */
  deliver(message: OutboundMessage): void;
  /** Sends a control envelope, already JSON-encoded, in order with the messages. */
  sendControl(text: string): void;
  /** Closes with a protocol close code; the reason is trimmed to 123 UTF-8 bytes (RFC 6455 §5.5) and the close counted by code. */
  close(code: CloseCode, reason: string): void;
  /** Stops reading inbound frames (backpressure on a client that sends too fast); idempotent. */
  pauseReading(): void;
  /** Reads inbound frames again; idempotent. */
  resumeReading(): void;
  /** Cuts the link at once, without a close handshake (no-op once the link is gone). */
  terminate(): void;
  /** Whether the peer can still send (false once closing). */
  readonly isOpen: boolean;
  /** Resolves when the peer has no backlog waiting for the network (history replays pace on it). */
  whenWritable(): Promise<void>;
}
