/** A structured logger; the server never writes to the console by itself. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

const noop = (): void => {};

/** The default logger: silent. */
export const silentLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop };
