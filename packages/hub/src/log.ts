import type { Logger } from '@oxidite/server';

/** Log levels, least severe first. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Where log lines go: anything with `write` (process.stdout, a test's array). */
export interface LineSink {
  write(line: string): unknown;
}

function replacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message };
  return typeof value === 'bigint' ? value.toString() : value;
}

/**
 * Structured logs: one JSON object per line (`{"time","level","msg",...fields}`), what log
 * collectors (Loki, CloudWatch, Datadog) parse without configuration.
 */
export function createJsonLogger(sink: LineSink, minimum: LogLevel = 'info'): Logger {
  const floor = LOG_LEVELS.indexOf(minimum);
  const write = (level: LogLevel) => (msg: string, fields?: Record<string, unknown>) => {
    if (LOG_LEVELS.indexOf(level) < floor) return;
    sink.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }, replacer)}\n`);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
