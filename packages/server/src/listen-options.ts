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
}

/** The backlog `rt.listen()` uses when none is given (see {@link ListenOptions.backlog}). */
export const DEFAULT_LISTEN_BACKLOG = 4096;

/** The backlog to listen with; throws a RangeError for one that is not a positive integer. */
export function resolveBacklog(options: ListenOptions | undefined): number {
  const backlog = options?.backlog ?? DEFAULT_LISTEN_BACKLOG;
  if (!Number.isSafeInteger(backlog) || backlog < 1) {
    throw new RangeError(`listen backlog must be a positive integer, got ${String(backlog)}`);
  }
  return backlog;
}
