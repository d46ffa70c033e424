import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type SseEvent, createSseParser, formatSseComment, formatSseEvent, formatSseRetry } from '../src/sse/index';

function parseAll(stream: string): { events: SseEvent[]; retries: number[]; comments: string[] } {
  const events: SseEvent[] = [];
  const retries: number[] = [];
  const comments: string[] = [];
  const parser = createSseParser({
    onEvent: (e) => events.push(e),
    onRetry: (ms) => retries.push(ms),
    onComment: (text) => comments.push(text),
  });
  parser.feed(stream);
  parser.end();
  return { events, retries, comments };
}

describe('formatSseEvent', () => {
  it('writes a data-only event terminated by a blank line', () => {
    expect(formatSseEvent({ data: 'hello' })).toBe('data: hello\n\n');
  });

  it('splits data on LF, CRLF and CR into one data line each', () => {
    expect(formatSseEvent({ data: 'a\nb\r\nc\rd' })).toBe('data: a\ndata: b\ndata: c\ndata: d\n\n');
    expect(parseAll(formatSseEvent({ data: 'a\nb\r\nc\rd' })).events[0]?.data).toBe('a\nb\nc\nd');
  });

  it('keeps empty lines and a leading space of the data', () => {
    const out = formatSseEvent({ data: '\n x\n' });
    expect(out).toBe('data:\ndata:  x\ndata:\n\n');
    expect(parseAll(out).events[0]?.data).toBe('\n x\n');
  });

  it('sends empty data as a bare data line, which still dispatches', () => {
    expect(formatSseEvent({ data: '' })).toBe('data:\n\n');
    expect(parseAll('data:\n\n').events).toEqual([{ type: 'message', data: '', lastEventId: '' }]);
  });

  it('writes all fields in a stable order', () => {
    const out = formatSseEvent({ comment: 'hi', retry: 1500, id: '42', event: 'update', data: '{"a":1}' });
    expect(out).toBe(': hi\nretry: 1500\nid: 42\nevent: update\ndata: {"a":1}\n\n');
    const parsed = parseAll(out);
    expect(parsed.events).toEqual([{ type: 'update', data: '{"a":1}', lastEventId: '42' }]);
    expect(parsed.retries).toEqual([1500]);
    expect(parsed.comments).toEqual(['hi']);
  });

  it('writes an empty id as a bare id line (resets the last event ID)', () => {
    expect(formatSseEvent({ id: '', data: 'x' })).toBe('id:\ndata: x\n\n');
  });

  it('writes a lone blank line when given nothing', () => {
    expect(formatSseEvent({})).toBe('\n');
  });

  it('turns a multi-line comment into several colon lines', () => {
    expect(formatSseEvent({ comment: 'one\ntwo\r\n\rthree' })).toBe(': one\n: two\n:\n: three\n\n');
  });

  it.each(['a\nb', 'a\rb', 'a\r\nb', '\n', 'x\r'])('rejects CR/LF in event %j', (event) => {
    expect(() => formatSseEvent({ event, data: 'x' })).toThrow(TypeError);
    expect(() => formatSseEvent({ event, data: 'x' })).toThrow(/"event" must not contain CR or LF/);
  });

  it.each(['a\nb', 'a\rb', 'a\r\nb', '\r'])('rejects CR/LF in id %j', (id) => {
    expect(() => formatSseEvent({ id, data: 'x' })).toThrow(TypeError);
    expect(() => formatSseEvent({ id, data: 'x' })).toThrow(/"id" must not contain CR or LF/);
  });

  it('rejects NUL in id', () => {
    expect(() => formatSseEvent({ id: 'a\0b', data: 'x' })).toThrow(TypeError);
    expect(() => formatSseEvent({ id: 'a\0b', data: 'x' })).toThrow(/"id" must not contain NUL/);
  });

  it('accepts NUL in event and data (only id is restricted)', () => {
    const out = formatSseEvent({ event: 'a\0', data: 'b\0' });
    expect(parseAll(out).events).toEqual([{ type: 'a\0', data: 'b\0', lastEventId: '' }]);
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])('rejects retry %s', (retry) => {
    expect(() => formatSseEvent({ retry })).toThrow(TypeError);
  });

  it('writes retry 0', () => {
    expect(formatSseEvent({ retry: 0 })).toBe('retry: 0\n\n');
  });
});

describe('formatSseComment', () => {
  it('formats a heartbeat', () => {
    expect(formatSseComment('ping')).toBe(': ping\n\n');
  });

  it('formats an empty and a multi-line comment', () => {
    expect(formatSseComment('')).toBe(':\n\n');
    expect(formatSseComment('a\nb')).toBe(': a\n: b\n\n');
  });

  it('never dispatches an event', () => {
    const parsed = parseAll(formatSseComment('ping') + formatSseComment('a\r\nb'));
    expect(parsed.events).toEqual([]);
    expect(parsed.comments).toEqual(['ping', 'a', 'b']);
  });
});

describe('formatSseRetry', () => {
  it('formats a standalone retry block', () => {
    expect(formatSseRetry(3000)).toBe('retry: 3000\n\n');
    expect(parseAll(formatSseRetry(3000)).retries).toEqual([3000]);
  });

  it.each([-5, 0.5, Number.NaN])('rejects %s', (ms) => {
    expect(() => formatSseRetry(ms)).toThrow(TypeError);
  });
});

describe('format → parse round trip', () => {
  const piece = fc.oneof(
    fc.constantFrom('\r', '\n', '\r\n', ' ', ':', '\uFEFF', '\0', 'data: x'),
    fc.string({ unit: 'binary' }),
    fc.string({ unit: 'grapheme' }),
  );
  const data = fc.array(piece, { maxLength: 8 }).map((parts) => parts.join(''));
  // Names and ids may hold anything but CR and LF (and NUL for ids).
  const name = data.map((s) => s.replace(/[\r\n]/g, ''));
  const id = data.map((s) => s.replace(/[\r\n\0]/g, ''));
  const init = fc.record({ data, event: fc.option(name, { nil: undefined }), id: fc.option(id, { nil: undefined }) });

  it('gives back the data (line endings normalised to LF), type and id, however the stream is chunked', () => {
    fc.assert(
      fc.property(fc.array(init, { maxLength: 5 }), fc.array(fc.nat(), { maxLength: 10 }), (inits, cuts) => {
        const stream = inits.map((e) => formatSseEvent(e)).join('');
        let lastEventId = '';
        const expected = inits.map((e): SseEvent => {
          if (e.id !== undefined) lastEventId = e.id;
          const type = e.event === undefined || e.event === '' ? 'message' : e.event;
          return { type, data: e.data.replace(/\r\n?/g, '\n'), lastEventId };
        });
        const got: SseEvent[] = [];
        const parser = createSseParser({ onEvent: (e) => got.push(e) });
        const positions = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
        let from = 0;
        for (const to of [...positions, stream.length]) {
          parser.feed(stream.slice(from, to));
          from = to;
        }
        parser.end();
        expect(got).toEqual(expected);
        expect(parser.lastEventId).toBe(lastEventId);
      }),
      { numRuns: 500 },
    );
  });
});
