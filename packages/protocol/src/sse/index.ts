/**
 * Server-Sent Events wire format (WHATWG HTML Living Standard, §9.2): a
 * formatter for servers and an incremental, spec-exact parser for clients.
 * Both work on strings only; encoding and streaming UTF-8 decoding are the
 * caller's job.
 *
 * @module
 */

export { formatSseComment, formatSseEvent, formatSseRetry } from './format';
export type { SseEventInit } from './format';
export { createSseParser, SSE_DEFAULT_MAX_LINE_LENGTH } from './parser';
export type { SseEvent, SseParseError, SseParser, SseParserOptions } from './parser';
