import { request } from 'node:http';
import { decodeServerEnvelope } from '@oxidite/protocol';

/**
 * The SSE half of the protocol oracle: checks raw event-stream text block by block against
 * PROTOCOL.md §1.2. The server writes LF line endings only, so a block ends at "\n\n".
 */

/** Event types PROTOCOL.md §1.2 lists. */
export const SSE_EVENT_TYPES = new Set(['subscribed', 'message', 'presence', 'error', 'broadcast', 'close']);

const OFFSET = '[A-Za-z0-9_-]{1,32}:(?:0|[1-9][0-9]{0,15})';
/** `id:` values: the offset of every topic of the stream, comma-separated, empty when unknown. */
export const POSITIONS_RE = new RegExp(`^(?:${OFFSET})?(?:,(?:${OFFSET})?)*$`);

/** Checks one block (without its terminating blank line); returns what is wrong with it, if anything. */
export function checkSseBlock(block: string): string | undefined {
  const lines = block.split('\n');
  if (lines.every((line) => line.startsWith(':'))) return undefined; // comments (heartbeats)
  if (lines.length === 1 && /^retry: [0-9]+$/.test(lines[0] as string)) return undefined;
  const fields = new Map<string, string>();
  for (const line of lines) {
    if (line.includes('\r')) return `CR inside a line: ${JSON.stringify(line)}`;
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const name = colon < 0 ? line : line.slice(0, colon);
    if (name !== 'id' && name !== 'event' && name !== 'data') return `unlisted field ${JSON.stringify(name)}`;
    if (fields.has(name)) return `field ${name} repeated in one block`;
    fields.set(name, line.slice(colon + 1).replace(/^ /, ''));
  }
  const event = fields.get('event');
  const data = fields.get('data');
  if (event === undefined || data === undefined) return `block without event: or data: ${JSON.stringify(block)}`;
  if (!SSE_EVENT_TYPES.has(event)) return `unlisted event type ${JSON.stringify(event)}`;
  const id = fields.get('id');
  if (id !== undefined && !POSITIONS_RE.test(id)) return `id: is not an offset list: ${JSON.stringify(id)}`;
  if (event === 'close') {
    const close = safeJson(data) as { code?: unknown; reason?: unknown } | undefined;
    const ok =
      Number.isInteger(close?.code) &&
      typeof close?.reason === 'string' &&
      Buffer.byteLength(close.reason) <= 123 &&
      Object.keys(close ?? {}).length === 2;
    return ok ? undefined : `bad close event data ${data}`;
  }
  const decoded = decodeServerEnvelope(data, { maxLength: Number.MAX_SAFE_INTEGER });
  if (!decoded.ok) return `${event} data fails the protocol decoder (${decoded.error.message}): ${data.slice(0, 300)}`;
  if (decoded.value.type !== event) return `event ${event} carries a ${decoded.value.type} envelope`;
  return undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Splits stream text into complete blocks and checks each; returns the violations. */
export function checkSseText(text: string): string[] {
  const blocks = text.split('\n\n');
  blocks.pop(); // the unterminated tail (or the empty string after the last blank line)
  const problems: string[] = [];
  for (const block of blocks) {
    const problem = checkSseBlock(block);
    if (problem) problems.push(problem);
  }
  return problems;
}

/** An SSE response read as raw text, for the oracle. */
export interface RawSse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  /** Body text received so far. */
  text: string;
  /** Resolves once `predicate(text)` holds or the body ended; rejects after `ms`. */
  until(predicate: (text: string) => boolean, ms?: number): Promise<void>;
  close(): void;
}

/** Opens `url` with `method` and resolves once the response head arrived (rejects after `ms`). */
export function openRawSse(
  url: string,
  options: { method?: string; headers?: Record<string, string>; ms?: number } = {},
): Promise<RawSse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`no response to ${options.method ?? 'GET'} ${url} within ${options.ms ?? 5_000} ms`));
    }, options.ms ?? 5_000);
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.on('response', (res) => {
      clearTimeout(timer);
      const listeners: (() => void)[] = [];
      let ended = false;
      const raw: RawSse = {
        status: res.statusCode ?? 0,
        headers: res.headers,
        text: '',
        until(predicate, ms = 5_000) {
          if (ended || predicate(raw.text)) return Promise.resolve();
          return new Promise((done, fail) => {
            const check = (): void => {
              if (!ended && !predicate(raw.text)) return;
              clearTimeout(deadline);
              listeners.splice(listeners.indexOf(check), 1);
              done();
            };
            const deadline = setTimeout(() => {
              listeners.splice(listeners.indexOf(check), 1);
              fail(new Error(`SSE condition not met within ${ms} ms; got ${JSON.stringify(raw.text.slice(-500))}`));
            }, ms);
            listeners.push(check);
          });
        },
        close: () => req.destroy(),
      };
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        raw.text += chunk;
        for (const listener of [...listeners]) listener();
      });
      const end = (): void => {
        ended = true;
        for (const listener of [...listeners]) listener();
      };
      res.on('end', end);
      res.on('close', end);
      resolve(raw);
    });
    req.end();
  });
}
