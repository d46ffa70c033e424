import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  CloseCode,
  decodeClientBinaryFrame,
  decodeClientEnvelope,
  PROTOCOL_VERSION,
  SUBPROTOCOL,
  TOKEN_SUBPROTOCOL_PREFIX,
  type ClientEnvelope,
  type DecodeResult,
} from '@oxidite/protocol';
import { type WebSocket, WebSocketServer } from 'ws';
import type { RealtimeLimits } from '../config';
import type { ClientPublishFrame, Connection, FramePeek, Hub } from '../hub';
import type { Admit } from '../security';
import { closeWebSocket, cutWebSocket, recordClose } from './close-socket';
import { refuseUpgrade } from './http-refusal';
import { InboundBudget } from './inbound-budget';
import { createHeartbeatSchedule } from './heartbeat-schedule';
import { answerAtOnce, WebSocketPeer } from './websocket-peer';
import { hasUnreadFrames, protocolErrorCloseCode, rawSocketOf, releaseHandshakeState } from './ws-internals';
import type { OutboundQueueOptions } from './outbound-queue';

/** Options of {@link createWebSocketTransport}. */
export interface WebSocketTransportOptions {
  readonly hub: Hub;
  readonly limits: RealtimeLimits;
  readonly admit: Admit;
  /** Enable permessage-deflate. Costs CPU and memory per connection. @default false */
  readonly perMessageDeflate?: boolean | undefined;
}

/** The WebSocket side of a server: upgrade handling, framing and heartbeats, glue over `ws`. */
export interface WebSocketTransport {
  /** Handles an HTTP upgrade; the caller has already matched the path. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /**
   * Answers every upgrade still being admitted (an auth hook or a limiter yet to answer) with 503
   * and admits nobody from then on: a hook that never answers must not hold the server's close.
   */
  stopAdmitting(): void;
  /** Stops the heartbeat and closes the underlying `ws` server. */
  close(): Promise<void>;
}

/**
 * An accepted socket's connection, kept on the `ws` object itself rather than in a `Map` beside
 * it: a map entry costs every idle connection 30–50 bytes at the table sizes a busy server has,
 * and idle memory per connection is what a real-time server is sized by (issue #18, goal 3). A
 * symbol, so that it cannot meet a field of `ws`; set once, cleared (not deleted: that would
 * turn the socket into a slow dictionary-mode object) when the socket closes.
 */
const CONNECTION = Symbol('oxidite.connection');

interface Accepted {
  [CONNECTION]?: Connection | undefined;
}

function connectionOf(ws: WebSocket): Connection | undefined {
  return (ws as Accepted)[CONNECTION];
}

/** Errors of a socket that never became a connection: its 'close' event does the cleanup. */
function ignoreError(): void {}

function destroySocket(this: Duplex): void {
  this.destroy();
}

function offersSubprotocol(req: IncomingMessage): boolean {
  const header = req.headers['sec-websocket-protocol'];
  return typeof header === 'string' && header.split(',').some((protocol) => protocol.trim() === SUBPROTOCOL);
}

/**
 * Picks `oxidite.v1`. A client that offers only other protocols (say a future `oxidite.v2`) gets
 * one of them echoed so that its handshake completes and it can read the 1008 close reason that
 * follows at once; otherwise it would only see a failed handshake. Token subprotocols are never
 * echoed (they would leak into response headers and logs).
 */
function chooseProtocol(protocols: Set<string>): string | false {
  if (protocols.has(SUBPROTOCOL)) return SUBPROTOCOL;
  for (const protocol of protocols) if (!protocol.startsWith(TOKEN_SUBPROTOCOL_PREFIX)) return protocol;
  return false;
}

/** Creates the WebSocket transport of a hub: a `ws` server in `noServer` mode, upgrades handed in by the caller's router. */
export function createWebSocketTransport(options: WebSocketTransportOptions): WebSocketTransport {
  const { hub, limits, admit } = options;
  const { stats } = hub.context;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: Math.max(limits.maxPayload, limits.maxBinaryPayload),
    perMessageDeflate: options.perMessageDeflate ?? false,
    handleProtocols: chooseProtocol,
    clientTracking: false,
  });
  // One bounds object for every peer (idle memory per connection is what a server is sized by).
  const frameOnceQueue: OutboundQueueOptions = {
    capacity: limits.broadcastCapacity,
    maxBytes: limits.maxQueuedBytes,
    isBatched: true,
  };
  const wsSendQueue: OutboundQueueOptions = { ...frameOnceQueue, isBatched: false };
  const inbound = new InboundBudget({
    text: limits.maxPayload,
    binary: limits.maxBinaryPayload,
    total: limits.maxInboundBytes,
  });

  // One options object for every frame, not one per message.
  const decodeOptions = { maxLength: limits.maxPayload, maxDepth: limits.maxDepth };

  function onMessage(connection: Connection, data: Buffer, isBinary: boolean): void {
    stats.messagesIn++;
    stats.bytesIn += data.length;
    // Sizes were enforced while the message arrived (see InboundBudget): text ≤ maxPayload here.
    if (!hub.admitFrame(connection, data, isBinary ? binaryPeek : textPeek)) return;
    const result: DecodeResult<ClientPublishFrame | ClientEnvelope> = isBinary
      ? decodeClientBinaryFrame(data)
      : decodeClientEnvelope(data.toString('utf8'), decodeOptions);
    if (!result.ok) {
      stats.invalidFrames++;
      connection.error(result.error.id, result.error.code, result.error.message);
      return;
    }
    hub.receive(connection, result.value);
  }

  /** Decodes a text frame the rate limit refused: only then, never on the usual path. */
  const decodeRefused = (data: Buffer) => decodeClientEnvelope(data.toString('utf8'), decodeOptions);
  const idOf = (result: DecodeResult<ClientPublishFrame | ClientEnvelope>): number | undefined =>
    result.ok ? ('id' in result.value ? result.value.id : undefined) : result.error.id;
  const textPeek: FramePeek<Buffer> = {
    isRefreshAnswer: (data) => {
      const result = decodeRefused(data);
      return result.ok && result.value.type === 'auth';
    },
    requestId: (data) => idOf(decodeRefused(data)),
  };
  // Only binary `publish` frames exist.
  const binaryPeek: FramePeek<Buffer> = {
    isRefreshAnswer: () => false,
    requestId: (data) => idOf(decodeClientBinaryFrame(data)),
  };

  function accept(
    ws: WebSocket,
    principal: Parameters<Hub['open']>[0]['principal'],
    remoteAddress: string,
    origin: string | undefined,
  ): void {
    if (!inbound.attach(ws, remoteAddress)) {
      ws.terminate();
      return;
    }
    if (ws.protocol !== SUBPROTOCOL) {
      ws.on('error', ignoreError);
      ws.on('close', releaseInbound);
      closeWebSocket(ws, CloseCode.POLICY_VIOLATION, `unsupported protocol: offer ${SUBPROTOCOL}`, stats);
      return;
    }
    // Frame-once needs the socket under `ws`; without it `ws.send` frames each message (see ws-internals).
    const socket = rawSocketOf(ws);
    if (socket) releaseHandshakeState(ws, socket);
    const isFrameOnce = !options.perMessageDeflate && socket !== undefined;
    const peer = new WebSocketPeer(ws, { socket, queue: isFrameOnce ? frameOnceQueue : wsSendQueue, stats });
    const connection = hub.open({ peer, principal, remoteAddress, origin });
    (ws as Accepted)[CONNECTION] = connection;
    // Shared listeners (`this` is the socket) rather than closures per connection: idle memory
    // per connection is what a real-time server is sized by.
    ws.on('message', handleMessage);
    // With the socket, the heartbeat reads liveness from its byte count (see `sweep` below).
    if (!socket) ws.on('pong', handlePong);
    ws.on('error', countProtocolError);
    ws.on('close', handleClose);
    connection.send({
      type: 'welcome',
      protocol: PROTOCOL_VERSION,
      session: connection.id,
      heartbeat: limits.heartbeatInterval,
      limits: {
        maxPayload: limits.maxPayload,
        maxBinaryPayload: limits.maxBinaryPayload,
        maxSubscriptions: limits.maxSubscriptions,
        maxInflight: limits.maxInflight,
      },
    });
  }

  /**
   * A browser sees a refused handshake only as a dropped connection (1006), indistinguishable from
   * a server that is down, and would retry for ever. An Oxidite client that failed authentication
   * or came from an origin not allowed is therefore let in and closed at once, before anything is
   * read or sent: 4401 (fetch a fresh token once, then give up), 4403 or 1008 (stop). Rate-limit
   * and capacity refusals stay plain HTTP errors (retrying later is right for those).
   */
  function closeAfterHandshake(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    code: CloseCode,
    reason: string,
  ): void {
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('error', ignoreError);
      if (!inbound.attach(ws, req.socket.remoteAddress ?? '')) {
        ws.terminate();
        return;
      }
      ws.on('close', releaseInbound);
      closeWebSocket(ws, code, reason, stats);
    });
  }

  /**
   * `ws` reports protocol errors (bad frames, invalid UTF-8, oversized messages) on 'error' and
   * closes the socket with the matching code itself (1002/1007/1009): counted here like every
   * other close the server makes; the 'close' event does the cleanup.
   */
  function countProtocolError(error: Error): void {
    const code = protocolErrorCloseCode(error);
    if (code !== undefined) recordClose(stats, code, '');
  }

  function releaseInbound(this: WebSocket): void {
    inbound.release(this);
  }

  function handleMessage(this: WebSocket, data: Buffer, isBinary: boolean): void {
    inbound.release(this);
    const connection = connectionOf(this);
    if (!connection) return;
    if (hasUnreadFrames(this)) {
      onMessage(connection, data, isBinary);
      return;
    }
    // The last frame read: a synchronous answer to it (most RPCs, a pong, an error) leaves at once.
    answerAtOnce(connection.peer);
    try {
      onMessage(connection, data, isBinary);
    } finally {
      answerAtOnce(undefined);
    }
  }

  function handlePong(this: WebSocket): void {
    const connection = connectionOf(this);
    if (connection) connection.lastSeen = hub.context.now();
  }

  function handleClose(this: WebSocket, code: number, reason: Buffer): void {
    inbound.release(this);
    const connection = connectionOf(this);
    if (!connection) return;
    (this as Accepted)[CONNECTION] = undefined;
    hub.close(connection, code, reason.toString('utf8'));
  }

  /** When the previous sweep began: bytes a sweep finds new arrived after it (and after its pings). */
  let sweptAt = hub.context.now();

  // Ping every interval; cut any connection silent for the timeout (half-open TCP, sleeping laptops).
  const heartbeat = createHeartbeatSchedule({
    interval: limits.heartbeatInterval,
    timeout: limits.connectionTimeout,
    now: hub.context.now,
    sweep(cutoff, isPingDue) {
      // A pong (or any frame) read since the previous sweep was heard after that sweep's pings:
      // stamped with its start, it counts as an answer to them, never to a later ping.
      const heardAfter = sweptAt;
      sweptAt = hub.context.now();
      // The hub's WebSocket connections, all of this transport (a server has one): no index of
      // our own (see `CONNECTION`).
      for (const connection of hub.connections()) {
        const peer = connection.peer;
        if (!(peer instanceof WebSocketPeer)) continue;
        const ws = peer.webSocket;
        if (peer.hasReadSinceLastCheck() && connection.lastSeen < heardAfter) connection.lastSeen = heardAfter;
        // A paused socket (its client sent past `maxInflight`) is not read, so it is heard from
        // only once its requests finish: one whose requests hang, or whose client vanished, is cut
        // like any silent one (its client's own heartbeat gave up on it by then anyway).
        if (connection.lastSeen < cutoff) cutWebSocket(ws, stats);
        else if (isPingDue) ws.ping();
      }
    },
  });

  /** Sockets whose admission has not answered yet; undefined once the server stopped admitting. */
  let admitting: Set<Duplex> | undefined = new Set();

  return {
    handleUpgrade(req, socket, head) {
      // A shared listener, not a closure: a closure here would share this function's context with
      // the `.then` callback below and keep `req` (headers and all) alive as long as the socket.
      socket.on('error', destroySocket);
      if (!admitting) return refuseUpgrade(socket, 503, 'server shutting down', 1);
      admitting.add(socket);
      admit(req).then(
        (admission) => {
          // Answered already (the server began closing meanwhile): nothing more to do.
          if (!admitting?.delete(socket)) return;
          if (!admission.ok) {
            stats.connectionsRefused++;
            if (admission.closeCode !== undefined && offersSubprotocol(req)) {
              return closeAfterHandshake(req, socket, head, admission.closeCode, admission.reason);
            }
            return refuseUpgrade(socket, admission.status, admission.reason, admission.retryAfter);
          }
          wss.handleUpgrade(req, socket, head, (ws) =>
            accept(ws, admission.principal, admission.remoteAddress, admission.origin),
          );
        },
        () => {
          if (admitting?.delete(socket)) refuseUpgrade(socket, 500, 'internal error');
        },
      );
    },
    stopAdmitting() {
      const pending = admitting;
      admitting = undefined;
      for (const socket of pending ?? []) refuseUpgrade(socket, 503, 'server shutting down', 1);
    },
    async close() {
      this.stopAdmitting();
      heartbeat.stop();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
