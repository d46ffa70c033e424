import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseOffset } from '@oxidite/protocol';
import type { RealtimeLimits } from '../config';
import type { Hub } from '../hub';
import type { Admit } from '../security';
import { openEventStream } from './event-stream';
import { parseSseRequest } from './sse-request';
import { SsePeer } from './sse-peer';

/** Options of {@link createSseTransport}. */
export interface SseTransportOptions {
  readonly hub: Hub;
  readonly limits: RealtimeLimits;
  readonly admit: Admit;
  /** `retry:` sent to clients, in ms. @default 3_000 */
  readonly retry?: number;
}

/**
 * The SSE side of a server: a Node `(req, res)` handler that admits the request (origin, auth,
 * limits, like a WebSocket upgrade), subscribes the stream to its topics through the hub, and
 * resumes each from `Last-Event-ID`.
 */
export function createSseTransport(options: SseTransportOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { hub, limits, admit } = options;
  const { stats } = hub.context;

  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET', 'content-type': 'text/plain' }).end('method not allowed\n');
      return;
    }
    const request = parseSseRequest(req);
    if (request.topics.length === 0) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('name at least one topic: ?topic=<name>\n');
      return;
    }
    admit(req).then(
      (admission) => {
        if (!admission.ok) {
          stats.connectionsRefused++;
          const headers: Record<string, string> = { 'content-type': 'text/plain' };
          if (admission.retryAfter !== undefined) headers['retry-after'] = String(admission.retryAfter);
          res.writeHead(admission.status, headers).end(`${admission.reason}\n`);
          return;
        }
        if (req.destroyed) return;
        const stream = openEventStream(req, res, {
          retry: options.retry,
          heartbeatInterval: limits.heartbeatInterval,
          bufferSize: limits.sseBufferSize,
          onOverflow: () => stats.slowConsumersClosed++,
        });
        const peer = new SsePeer(stream, request.topics, request.positions, stats);
        const connection = hub.open({
          peer,
          principal: admission.principal,
          remoteAddress: admission.remoteAddress,
          origin: admission.origin,
        });
        stream.onClose(() => hub.close(connection, peer.closedWith.code, peer.closedWith.reason));
        request.topics.forEach((topic, id) => {
          const since = request.positions[id];
          const resume = since && parseOffset(since) ? { since } : {};
          hub.receive(connection, { type: 'subscribe', id, topic, ...resume });
        });
      },
      () => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error\n');
      },
    );
  };
}
