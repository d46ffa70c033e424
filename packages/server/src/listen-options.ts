/**
 * Options of `rt.listen()`, the HTTP server the realtime server owns. A separate object rather
 * than more positional parameters: `listen(port, host, { backlog })`.
 */
export interface ListenOptions {
  /**
   * Length of the kernel's queue of connections accepted by TCP but not yet taken by the server
   * (`listen(2)`'s backlog). Past it, new SYNs are dropped and the client's TCP retries after
   * 1 s, then 3 s: a reconnect storm after a restart (every client back at once) opens with
   * seconds of nothing. Node's own default is 511; Linux caps the value at
   * `net.core.somaxconn` (4096 since kernel 5.4), so raise that too for more.
   * @default 4096
   */
  readonly backlog?: number | undefined;
  /**
   * Milliseconds a client has to send a request's headers; past it the server answers 408 and
   * closes the socket. Node's default (60 s, checked every 30 s) let one address hold thousands of
   * sockets that had sent half a request line for over a minute, past every per-address limit,
   * which counts requests only once their headers are in. A request's body gets 5 s more.
   * @default 10_000
   */
  readonly headersTimeout?: number | undefined;
}

/** The backlog `rt.listen()` uses when none is given (see {@link ListenOptions.backlog}). */
export const DEFAULT_LISTEN_BACKLOG = 4096;

/** The headers timeout `rt.listen()` uses when none is given (see {@link ListenOptions.headersTimeout}). */
export const DEFAULT_HEADERS_TIMEOUT = 10_000;

/** The options with their defaults; throws a RangeError for a value that is not a positive integer. */
export function resolveListenOptions(options: ListenOptions | undefined): { backlog: number; headersTimeout: number } {
  const resolved = {
    backlog: options?.backlog ?? DEFAULT_LISTEN_BACKLOG,
    headersTimeout: options?.headersTimeout ?? DEFAULT_HEADERS_TIMEOUT,
  };
  for (const [name, value] of Object.entries(resolved)) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new RangeError(`listen ${name} must be a positive integer, got ${String(value)}`);
    }
  }
  return resolved;
}
