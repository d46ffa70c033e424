import type { IncomingMessage, ServerResponse } from 'node:http';
import { CloseCode, ErrorCode, parseOffset } from '@oxidite/protocol';
import type { RealtimeLimits } from '../config';
import { checkTopic, createSessionId, type Hub, type TopicCheck } from '../hub';
import type { Admit, ChargeRequest, UserCapCheck } from '../security';
import { EVENT_STREAM_HEADERS, openEventStream } from './event-stream';
import { corsHeaders, preflightHeaders } from './sse-cors';
import { MAX_SSE_TOPICS, parseSseRequest } from './sse-request';
import { refuseRequest } from './refuse-request';
import { SsePeer } from './sse-peer';

/** Methods the SSE endpoint answers (every other one gets 405 with this list). */
const ALLOW = 'GET, HEAD, OPTIONS';

type Refused = Extract<TopicCheck, { ok: false }>;

/** Refusal codes in the order they decide the status (the hook failed: 503, worth a retry). */
const STATUS_BY_CODE: readonly [code: string, status: number][] = [
  [ErrorCode.FORBIDDEN, 403],
  [ErrorCode.UNKNOWN_TOPIC, 404],
  [ErrorCode.INTERNAL, 503],
];

/** The answer to a stream whose every topic was refused: the most telling refusal and its status. */
function refusalOf(checks: readonly Refused[]): { status: number; refusal: Refused } {
  for (const [code, status] of STATUS_BY_CODE) {
    const refusal = checks.find((check) => check.code === code);
    if (refusal) return { status, refusal };
  }
  return { status: 400, refusal: checks[0] as Refused };
}

/** Options of {@link createSseTransport}. */
export interface SseTransportOptions {
  readonly hub: Hub;
  readonly limits: RealtimeLimits;
  readonly admit: Admit;
  /** The per-user cap, asked again once the topics are authorized, just before the stream opens. @default none */
  readonly isUserFull?: UserCapCheck | undefined;
  /** Charges a request refused before admission (405, no topic) to its address's connection bucket. */
  readonly charge: ChargeRequest;
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
      res.writeHead(204, { allow: ALLOW, ...preflightHeaders(req) }).end();
      return;
    }
    const cors = corsHeaders(req);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const refusal = { status: 405, reason: 'method not allowed' };
      return refuseRequest(options.charge, req, res, refusal, { always: cors, ifNotLimited: { allow: ALLOW } });
    }
    const request = parseSseRequest(req);
    if (request.topics.length === 0) {
      const refusal = { status: 400, reason: 'name at least one topic: ?topic=<name>' };
      return refuseRequest(options.charge, req, res, refusal, { always: cors });
    }
    admit(req).then(
      async (admission) => {
        if (!admission.ok) {
          stats.connectionsRefused++;
          const headers: Record<string, string> = { 'content-type': 'text/plain', ...cors };
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
        // A hook that never settles must not hold the request (and its socket) for good.
        let overdue: ReturnType<typeof setTimeout> | undefined;
        const timedOut = new Promise<undefined>((resolve) => {
          overdue = setTimeout(resolve, limits.requestTimeout, undefined);
          overdue.unref?.();
        });
        const allChecks = Promise.all(
          request.topics.map((topic) =>
            checkTopic(hub.context, { principal, info: () => info }, topic, 'subscribe').catch(
              (error: unknown): TopicCheck => {
                hub.context.reportError(error, `subscribe ${topic}`);
                return { ok: false, code: ErrorCode.INTERNAL, message: 'subscribe failed' };
              },
            ),
          ),
        );
        const checks = await Promise.race([allChecks, timedOut]);
        clearTimeout(overdue);
        if (req.destroyed) return;
        if (checks === undefined) {
          stats.connectionsRefused++;
          hub.context.reportError(
            new Error(`subscribe ${request.topics.join(',')} did not settle within ${limits.requestTimeout} ms`),
            'sse',
          );
          res
            .writeHead(503, { 'content-type': 'text/plain', 'retry-after': '1', ...cors })
            .end('authorization timed out\n');
          return;
        }
        if (checks.every((check) => !check.ok)) {
          stats.connectionsRefused++;
          const { status, refusal } = refusalOf(checks as Refused[]);
          const headers: Record<string, string> = { 'content-type': 'text/plain', ...cors };
          if (status === 503) headers['retry-after'] = '1';
          res.writeHead(status, headers).end(`${refusal.message}\n`);
          return;
        }
        // Admission checked the per-user cap, then the hooks ran: parallel requests of one user all
        // passed it while none was open (60 streams past a cap of 20). Asked again, with nothing
        // awaited between this answer and the open below.
        const full = principal ? options.isUserFull?.(principal.id) : false;
        if (full === true || (full instanceof Promise && (await full))) {
          if (req.destroyed) return;
          stats.connectionsRefused++;
          res
            .writeHead(429, { 'content-type': 'text/plain', 'retry-after': '5', ...cors })
            .end('too many connections for this user\n');
          return;
        }
        if (req.destroyed) return;
        // HEAD: the headers a GET would get (after the same admission), and never a subscription.
        if (req.method === 'HEAD') return void res.writeHead(200, { ...EVENT_STREAM_HEADERS, ...cors }).end();
        const stream = openEventStream(req, res, {
          headers: cors,
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
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain', ...cors }).end('internal error\n');
      },
    );
  };
}
