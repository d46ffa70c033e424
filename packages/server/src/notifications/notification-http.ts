import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode, isRealtimeError, type NotificationListInput, RealtimeError } from '@oxidite/protocol';
import type { Principal } from '../security';
import { HttpErrorCode, isJsonRequest, readJson, sendError, sendJson } from '../http';
import type { NotificationOperations } from './notification-operations';

/** A Node HTTP request handler, to mount in any framework (Express, Fastify's `raw`, `node:http`…). */
export type NotificationHttpHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** Options of the notification HTTP handlers. */
export interface NotificationHttpOptions {
  /**
   * Authenticates a request to the HTTP handlers (a session cookie, a bearer token…): the principal,
   * or null to answer 401. Only that principal's notifications are touched.
   * @default none: every HTTP request is answered 401
   */
  readonly authenticate?: ((req: IncomingMessage) => Principal | null | Promise<Principal | null>) | undefined;
  /** Largest JSON request body, in bytes; a larger one is answered 413. @default 16_384 */
  readonly maxBodyBytes?: number | undefined;
}

/**
 * The REST face of the inbox. Every handler answers JSON: 200 with the result, or
 * `{ error: { code, message } }` with 400 (bad query or body), 401 (not authenticated),
 * 405 (wrong method, with `Allow`), 413 (body too large), 415 (a POST without
 * `content-type: application/json`, which also keeps cross-site form posts out) or 500.
 */
export interface NotificationHandlers {
  /** `GET ?unreadOnly=true&limit=20&before=<id>` → `{ items, next? }`. */
  readonly list: NotificationHttpHandler;
  /** `GET` → `{ count }`. */
  readonly unreadCount: NotificationHttpHandler;
  /** `POST { "ids": [...] }` (≤ 100) → `{ updated }`. */
  readonly markRead: NotificationHttpHandler;
  /** `POST` (body empty or `{}`) → `{ updated }`. */
  readonly markAllRead: NotificationHttpHandler;
  /** `POST { "ids": [...] }` (≤ 100) → `{ deleted }`. */
  readonly delete: NotificationHttpHandler;
}

type Run = (userId: string, input: { readonly query: URLSearchParams; readonly body: unknown }) => Promise<unknown>;

const BOOLEAN: Readonly<Record<string, boolean>> = { true: true, '1': true, false: false, '0': false };

/** `unreadOnly`, `limit` and `before` from a query string; the schema checks ranges and shapes. */
function listInput(query: URLSearchParams): NotificationListInput {
  const unreadOnly = query.get('unreadOnly');
  const limit = query.get('limit');
  const before = query.get('before');
  if (unreadOnly !== null && BOOLEAN[unreadOnly] === undefined) {
    throw new RealtimeError(ErrorCode.INVALID, 'unreadOnly must be true, false, 1 or 0');
  }
  if (limit !== null && !/^\d{1,6}$/.test(limit))
    throw new RealtimeError(ErrorCode.INVALID, 'limit must be an integer');
  return {
    ...(unreadOnly === null ? {} : { unreadOnly: BOOLEAN[unreadOnly] }),
    ...(limit === null ? {} : { limit: Number(limit) }),
    ...(before === null ? {} : { before }),
  };
}

/** The `ids` of a JSON body (the operations validate them). */
function idsOf(body: unknown): readonly string[] {
  const ids = (body as { ids?: unknown } | undefined)?.ids;
  if (!Array.isArray(ids)) throw new RealtimeError(ErrorCode.INVALID, 'body must be {"ids": [...]}');
  return ids;
}

/** Creates the HTTP handlers over `operations`. */
export function createNotificationHandlers(
  operations: NotificationOperations,
  options: NotificationHttpOptions & { readonly onError: (error: unknown, where: string) => void },
): NotificationHandlers {
  const maxBodyBytes = options.maxBodyBytes ?? 16_384;
  const authenticate = options.authenticate ?? (() => null);

  function handler(method: 'GET' | 'POST', name: string, run: Run): NotificationHttpHandler {
    const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
      if (req.method !== method && !(method === 'GET' && req.method === 'HEAD')) {
        throw new RealtimeError(HttpErrorCode.METHOD_NOT_ALLOWED, `use ${method}`);
      }
      const principal = await authenticate(req);
      if (!principal) throw new RealtimeError(ErrorCode.UNAUTHORIZED, 'authentication required');
      let body: unknown;
      if (method === 'POST') {
        if (!isJsonRequest(req)) {
          throw new RealtimeError(HttpErrorCode.UNSUPPORTED_MEDIA_TYPE, 'content-type must be application/json');
        }
        body = await readJson(req, maxBodyBytes);
      }
      const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
      sendJson(res, 200, await run(principal.id, { query, body }));
    };
    const allow = method === 'GET' ? 'GET, HEAD' : 'POST';
    return (req, res) => {
      serve(req, res).catch((error: unknown) => {
        const headers: Record<string, string> =
          isRealtimeError(error) && error.code === HttpErrorCode.METHOD_NOT_ALLOWED ? { allow } : {};
        if (sendError(req, res, error, headers)) options.onError(error, `notifications http ${name}`);
      });
    };
  }

  return {
    list: handler('GET', 'list', (user, { query }) => operations.list(user, listInput(query))),
    unreadCount: handler('GET', 'unreadCount', async (user) => ({ count: await operations.unreadCount(user) })),
    markRead: handler('POST', 'markRead', async (user, { body }) => ({
      updated: await operations.markRead(user, idsOf(body)),
    })),
    markAllRead: handler('POST', 'markAllRead', async (user) => ({ updated: await operations.markAllRead(user) })),
    delete: handler('POST', 'delete', async (user, { body }) => ({
      deleted: await operations.delete(user, idsOf(body)),
    })),
  };
}
