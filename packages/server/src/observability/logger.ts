/** Fields of one log line. */
export type LogFields = Record<string, unknown>;

/**
 * The message-first logger of 0.1: `info(message, fields)`. Still accepted as it was; a logger
 * with a `child` method is called the pino way instead (see {@link PinoLikeLogger}).
 */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/**
 * A pino-compatible logger (pino, bunyan, Fastify's `request.log`): fields first, then the
 * message. Recognised by its `child` method, like Fastify recognises one; the server never calls
 * `child` itself, so pass `pino().child({ component: 'realtime' })` to tag its lines.
 */
export interface PinoLikeLogger {
  debug(fields: LogFields, message: string): void;
  info(fields: LogFields, message: string): void;
  warn(fields: LogFields, message: string): void;
  error(fields: LogFields, message: string): void;
  child(bindings: LogFields): unknown;
}

/** What the `logger` option accepts. */
export type AnyLogger = Logger | PinoLikeLogger;

/** A log level the server writes at. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * The server's own view of whichever logger it was given: every line carries an `event` name
 * (documented in the README's table), so that log queries never parse messages.
 */
export type Log = Readonly<Record<LogLevel, (event: string, message: string, fields?: LogFields) => void>>;

const noop = (): void => {};

/** The default logger: silent. */
export const silentLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop };

function isPinoLike(logger: AnyLogger): logger is PinoLikeLogger {
  return typeof (logger as Partial<PinoLikeLogger>).child === 'function';
}

/**
 * Adapts the user's logger once, at start. A throwing logger never breaks the server: a log line
 * is not worth a dropped connection.
 */
export function createLog(logger: AnyLogger | undefined): Log {
  if (logger === undefined || logger === silentLogger) {
    return { debug: noop, info: noop, warn: noop, error: noop };
  }
  const pino = isPinoLike(logger);
  const level =
    (name: LogLevel) =>
    (event: string, message: string, fields?: LogFields): void => {
      const line = { event, ...fields };
      try {
        if (pino) logger[name](line, message);
        else (logger as Logger)[name](`realtime: ${message}`, line);
      } catch {
        // Nothing sensible to do: the logger is the place errors would be reported to.
      }
    };
  return { debug: level('debug'), info: level('info'), warn: level('warn'), error: level('error') };
}
