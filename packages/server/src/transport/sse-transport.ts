import type { IncomingMessage, ServerResponse } from 'node:http';
import { CloseCode, ErrorCode, parseOffset } from '@oxidite/protocol';
import type { RealtimeLimits } from '../config';
import { checkTopic, createSessionId, type Hub, type TopicCheck } from '../hub';
import type { Admission, Admit } from '../security';
import { EVENT_STREAM_HEADERS, openEventStream } from './event-stream';
import { MAX_SSE_TOPICS, parseSseRequest } from './sse-request';
import { SsePeer } from './sse-peer';

/** Methods the SSE endpoint answers (every other one gets 405 with this list). */
const ALLOW = 'GET, HEAD, OPTIONS';

/** The HTTP status of a stream whose every topic was refused: the most telling refusal wins. */
function refusalStatus(checks: readonly TopicCheck[]): number {
  const codes = new Set(checks.map((check) => (check.ok ? '' : check.code)));
  if (codes.has(ErrorCode.FORBIDDEN)) return 403;
  if (codes.has(ErrorCode.UNKNOWN_TOPIC)) return 404;
  if (codes.has(ErrorCode.INTERNAL)) return 503; // the hook failed: worth a retry
  return 400;
}

/** Options of {@link createSseTransport}. */
export interface SseTransportOptions {
  readonly hub: Hub;
  readonly limits: RealtimeLimits;
  readonly admit: Admit;
  /** `retry:` sent to clients, in ms. @default 3_000 */
  readonly retry?: number | undefined;
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
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { allow: ALLOW }).end();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: ALLOW, 'content-type': 'text/plain' }).end('method not allowed\n');
      return;
    }
    const request = parseSseRequest(req);
    if (request.topics.length === 0) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('name at least one topic: ?topic=<name>\n');
      return;
    }
    // A synchronous verdict (or throw) joins the same path as an asynchronous one.
    new Promise<Admission>((resolve) => resolve(admit(req))).then(
      async (admission) => {
        if (!admission.ok) {
          stats.connectionsRefused++;
          const headers: Record<string, string> = { 'content-type': 'text/plain' };
          if (admission.retryAfter !== undefined) headers['retry-after'] = String(admission.retryAfter);
          res.writeHead(admission.status, headers).end(`${admission.reason}\n`);
          return;
        }
        if (req.destroyed) return;
        // Topics are authorized before the answer: a stream that could carry nothing is refused
        // with a status an EventSource reports (and stops on), not a 200 full of error events.
        const id = createSessionId();
        const { principal, remoteAddress, origin } = admission;
        const info = { id, transport: 'sse' as const, principal, remoteAddress, origin };
        const checks = await Promise.all(
          request.topics.map((topic) =>
            checkTopic(hub.context, { principal, info: () => info }, topic, 'subscribe').catch(
              (error: unknown): TopicCheck => {
                hub.context.reportError(error, `subscribe ${topic}`);
                return { ok: false, code: ErrorCode.INTERNAL, message: 'subscribe failed' };
              },
            ),
          ),
        );
        if (req.destroyed) return;
        if (checks.every((check) => !check.ok)) {
          stats.connectionsRefused++;
          const first = checks[0] as Extract<TopicCheck, { ok: false }>;
          const status = refusalStatus(checks);
          const headers =
            status === 503 ? { 'content-type': 'text/plain', 'retry-after': '1' } : { 'content-type': 'text/plain' };
          res.writeHead(status, headers).end(`${first.message}\n`);
          return;
        }
        // HEAD: the headers a GET would get (after the same admission), and never a subscription.
        if (req.method === 'HEAD') return void res.writeHead(200, EVENT_STREAM_HEADERS).end();
        const stream = openEventStream(req, res, {
          retry: options.retry,
          heartbeatInterval: limits.heartbeatInterval,
          bufferSize: limits.sseBufferSize,
          maxQueuedBytes: limits.maxQueuedBytes,
          // A slow consumer, closed like a WebSocket one: one close path, counted by code.
          onOverflow: () => {
            stats.dropped++;
            peer.close(CloseCode.TRY_AGAIN_LATER, 'slow consumer');
          },
        });
        const peer: SsePeer = new SsePeer(stream, request.topics, request.positions, stats);
        const connection = hub.open({
          id,
          peer,
          principal: admission.principal,
          remoteAddress: admission.remoteAddress,
          origin: admission.origin,
        });
        stream.onClose(() => hub.close(connection, peer.closedWith.code, peer.closedWith.reason));
        request.topics.forEach((topic, index) => {
          const since = request.positions[index];
          const resume = since && parseOffset(since) ? { since } : {};
          hub.subscribeChecked(
            connection,
            { type: 'subscribe', id: index, topic, ...resume },
            checks[index] as TopicCheck,
          );
        });
        if (request.dropped > 0) {
          connection.error(
            MAX_SSE_TOPICS,
            ErrorCode.LIMIT_EXCEEDED,
            `at most ${MAX_SSE_TOPICS} topics per stream: ${request.dropped} more were not subscribed`,
          );
        }
      },
      () => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error\n');
      },
    );
  };
}
