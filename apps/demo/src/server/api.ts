import type { IncomingMessage, ServerResponse } from 'node:http';
import { NotificationLimits } from '@oxidite/protocol';
import {
  createMemoryRateLimiter,
  type NotificationService,
  type Principal,
  type RateRule,
  resolveClientAddress,
  type TrackInput,
} from '@oxidite/server';
import { bearerToken, HttpError, readJsonObject, sendJson } from './http-json';
import { type Identity, identityOf, normaliseName } from './identity';
import { displayName, type TokenService } from './tokens';

/**
 * Logins per client address: the demo login has no password (the name is the account), so the
 * limit is what stops one address from minting tokens for thousands of names. A burst for a few
 * tabs and tests, then one every 2 s.
 */
export const LOGIN_RATE: RateRule = { capacity: 30, refillPerSecond: 0.5 };

/** Longest body of a demo notification (the SDK allows 4,000). */
const MAX_NOTIFY_BODY = 1_000;

/** What the API handlers need. */
export interface ApiDeps {
  readonly tokens: TokenService;
  readonly notifications: NotificationService;
  /** Tracks a server-side event; never throws. */
  readonly track: (event: TrackInput) => void;
}

/** An API route: resolves with the response body, or throws an HttpError. */
type Route = (req: IncomingMessage) => Promise<{ status: number; body: unknown }>;

function text(value: unknown, field: string, max: number, min = 1): string {
  if (typeof value !== 'string' || value.trim().length < min || value.length > max) {
    throw new HttpError(400, 'invalid', `${field} must be ${min}–${max} characters`);
  }
  return value.trim();
}

/** The JSON API of the demo: login, who am I, and notifications sent over HTTP. */
export function createApi(deps: ApiDeps): Readonly<Record<string, { method: string; route: Route }>> {
  const { tokens, notifications, track } = deps;
  const logins = createMemoryRateLimiter();

  async function caller(req: IncomingMessage): Promise<Principal> {
    const token = bearerToken(req);
    const principal = token ? await tokens.jwt.verify(token) : null;
    if (!principal) throw new HttpError(401, 'unauthorized', 'log in first (Authorization: Bearer <token>)');
    return principal;
  }

  const userOf = (principal: Principal): Identity => ({
    id: principal.id,
    name: displayName(principal) ?? principal.id,
  });

  return {
    /** `{ name }` → `{ token, expiresAt, user: { id, name } }`: no password, the name is the account. */
    '/api/login': {
      method: 'POST',
      async route(req) {
        const decision = await logins.consume(`login:${resolveClientAddress(req)}`, LOGIN_RATE);
        if (!decision.allowed) {
          const seconds = String(Math.max(1, Math.ceil(decision.retryAfter / 1000)));
          throw new HttpError(429, 'rate_limited', 'too many logins from this address', { 'retry-after': seconds });
        }
        const { name } = await readJsonObject(req);
        const identity = identityOf(name);
        if (!identity) throw new HttpError(400, 'invalid', 'name must be 1–40 characters with a letter or digit');
        const { token, expiresAt } = await tokens.issue(identity);
        track({ type: 'login', userId: identity.id });
        return { status: 200, body: { token, expiresAt, user: identity } };
      },
    },
    /** The caller, from the bearer token: how the page checks a saved token after a restart. */
    '/api/me': {
      method: 'GET',
      async route(req) {
        return { status: 200, body: { user: userOf(await caller(req)) } };
      },
    },
    /** `{ title, body, to? }`: a notification to the caller, and to user `to` if given. */
    '/api/notify': {
      method: 'POST',
      async route(req) {
        const from = userOf(await caller(req));
        const input = await readJsonObject(req);
        const title = text(input['title'], 'title', NotificationLimits.MAX_TITLE_LENGTH);
        const body = text(input['body'] ?? '', 'body', MAX_NOTIFY_BODY, 0);
        const recipients = new Set([from.id]);
        if (input['to'] !== undefined) {
          const to = typeof input['to'] === 'string' ? normaliseName(input['to']) : undefined;
          if (!to) throw new HttpError(400, 'invalid', 'to must be a user name');
          recipients.add(to);
        }
        const sent = [];
        for (const userId of recipients) {
          sent.push(await notifications.send(userId, { title, body, category: 'demo', data: { from: from.name } }));
        }
        track({ type: 'notification_sent', userId: from.id, properties: { recipients: recipients.size } });
        return { status: 201, body: { sent } };
      },
    },
  };
}

/** Runs an API route, answering its result or its error. */
export async function runRoute(
  entry: { method: string; route: Route },
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (req.method !== entry.method) {
    return sendJson(
      res,
      405,
      { error: { code: 'method_not_allowed', message: `use ${entry.method}` } },
      { allow: entry.method },
    );
  }
  const { status, body } = await entry.route(req);
  sendJson(res, status, body);
}
