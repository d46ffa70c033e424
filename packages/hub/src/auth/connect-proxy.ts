import { RealtimeError } from '@oxidite/protocol';
import type { Logger, Principal } from '@oxidite/server';
import * as z from 'zod';
import type { ConnectProxyConfig } from '../config/schema';

/** What the app backend answers: allow or not, and for a connection optionally who it is. */
const ProxyAnswerSchema = z.object({
  allow: z.boolean(),
  user: z.string().min(1).max(256).optional(),
  info: z.unknown().optional(),
});
type ProxyAnswer = z.infer<typeof ProxyAnswerSchema>;

/** A question to the app backend. */
export type ProxyQuestion =
  | {
      readonly action: 'connect';
      readonly user: string | null;
      readonly token: string | null;
      readonly remoteAddress: string;
      readonly origin: string | null;
    }
  | { readonly action: 'subscribe'; readonly user: string | null; readonly topic: string };

/** Asks the app backend over HTTP (Centrifugo's proxy model): timed out, cached, failing closed. */
export interface ConnectProxy {
  /** The principal to admit the connection as (the given one, or the backend's `user`), or a refusal. */
  connect(
    question: Extract<ProxyQuestion, { action: 'connect' }>,
    principal: Principal | null,
  ): Promise<Principal | null>;
  /** Whether the subscription is allowed. */
  subscribe(question: Extract<ProxyQuestion, { action: 'subscribe' }>): Promise<boolean>;
}

/** Options of {@link createConnectProxy}. */
export interface ConnectProxyOptions extends ConnectProxyConfig {
  readonly logger: Logger;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch | undefined;
  /** @default Date.now */
  readonly now?: (() => number) | undefined;
  /** Most answers cached at once; the oldest go first. @default 10_000 */
  readonly maxCached?: number | undefined;
}

/** Creates the connect proxy. Any failure (timeout, non-2xx, bad JSON) is a refusal. */
export function createConnectProxy(options: ConnectProxyOptions): ConnectProxy {
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const maxCached = options.maxCached ?? 10_000;
  const cache = new Map<string, { answer: ProxyAnswer; until: number }>();

  async function ask(question: ProxyQuestion): Promise<ProxyAnswer> {
    const key = JSON.stringify(question);
    const hit = cache.get(key);
    if (hit && hit.until > now()) return hit.answer;
    cache.delete(key);
    let answer: ProxyAnswer = { allow: false };
    try {
      const response = await doFetch(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(question),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      const parsed = ProxyAnswerSchema.safeParse(response.ok ? await response.json() : undefined);
      if (parsed.success) answer = parsed.data;
      else options.logger.warn('hub: connect proxy answered badly', { status: response.status });
    } catch (error) {
      // Not cached: the next request asks again once the backend is back.
      options.logger.warn('hub: connect proxy failed', { error: String(error) });
      return answer;
    }
    if (options.cacheTtlMs > 0) {
      if (cache.size >= maxCached) cache.delete(cache.keys().next().value as string);
      cache.set(key, { answer, until: now() + options.cacheTtlMs });
    }
    return answer;
  }

  return {
    async connect(question, principal) {
      const answer = await ask(question);
      if (!answer.allow) throw new RealtimeError('forbidden', 'refused by the connect proxy');
      if (answer.user === undefined) return principal;
      return { ...principal, id: answer.user, ...(answer.info === undefined ? {} : { info: answer.info }) };
    },
    async subscribe(question) {
      return (await ask(question)).allow;
    },
  };
}
