import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type SseEvent, type SseParserOptions, createSseParser } from '../src/sse/index';

type Entry = { event: SseEvent } | { retry: number } | { comment: string } | { error: string };
type Options = Partial<SseParserOptions>;

/** Feeds `chunks` then ends the stream; returns every callback in order and the final last event ID. */
function run(chunks: readonly string[], options: Options = {}): { log: Entry[]; lastEventId: string } {
  const log: Entry[] = [];
  const parser = createSseParser({
    ...options,
    onEvent: (event) => log.push({ event }),
    onRetry: (retry) => log.push({ retry }),
    onComment: (comment) => log.push({ comment }),
    onError: (error) => log.push({ error }),
  });
  for (const chunk of chunks) parser.feed(chunk);
  parser.end();
  return { log, lastEventId: parser.lastEventId };
}

function events(chunks: readonly string[] | string, options?: Options): SseEvent[] {
  const log = run(typeof chunks === 'string' ? [chunks] : chunks, options).log;
  return log.flatMap((entry) => ('event' in entry ? [entry.event] : []));
}

const msg = (data: string, lastEventId = '', type = 'message'): SseEvent => ({ type, data, lastEventId });

/** Splits `text` at the given positions (any order, duplicates allowed). */
function splitAt(text: string, positions: readonly number[]): string[] {
  const cuts = [...new Set(positions.map((p) => p % (text.length + 1)))].sort((a, b) => a - b);
  return [...cuts, text.length].map((cut, i) => text.slice(i === 0 ? 0 : cuts[i - 1], cut));
}

// Example streams from the WHATWG HTML Living Standard, §9.2 Server-sent events
// (§9.2.1 Introduction and §9.2.6 Interpreting an event stream), recreated from
// the spec text; expected results are the ones the spec describes.
describe('WHATWG HTML §9.2 examples', () => {
  it('stock example: three data lines make one event joined by LF', () => {
    expect(events('data: YHOO\ndata: +2\ndata: 10\n\n')).toEqual([msg('YHOO\n+2\n10')]);
  });

  it('comment, id, id reset, and a leading space kept after the first one', () => {
    const stream = ': test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n\n';
    const result = run([stream]);
    expect(result.log).toEqual([
      { comment: 'test stream' },
      { event: msg('first event', '1') },
      { event: msg('second event', '') },
      { event: msg(' third event', '') },
    ]);
  });

  it('"data" without colon appends an empty line; the unterminated last block is dropped', () => {
    expect(events('data\n\ndata\ndata\n\ndata:')).toEqual([msg(''), msg('\n')]);
    // "as would the last block if it was followed by a blank line"
    expect(events('data\n\ndata\ndata\n\ndata:\n\n')).toEqual([msg(''), msg('\n'), msg('')]);
  });

  it('"data:test" and "data: test" fire two identical events', () => {
    expect(events('data:test\n\ndata: test\n\n')).toEqual([msg('test'), msg('test')]);
  });

  it('introduction: three messages, the second spanning two lines', () => {
    const stream =
      'data: This is the first message.\n\ndata: This is the second message, it\ndata: has two lines.\n\n' +
      'data: This is the third message.\n\n';
    expect(events(stream)).toEqual([
      msg('This is the first message.'),
      msg('This is the second message, it\nhas two lines.'),
      msg('This is the third message.'),
    ]);
  });

  it('introduction: named events', () => {
    const stream = 'event: add\ndata: 73857293\n\nevent: remove\ndata: 2153\n\nevent: add\ndata: 113411\n\n';
    expect(events(stream)).toEqual([msg('73857293', '', 'add'), msg('2153', '', 'remove'), msg('113411', '', 'add')]);
  });

  // Not verbatim spec text: a mix of the rules the examples above illustrate.
  it('comment-only and colon-only blocks dispatch nothing; a final block without blank line is dropped', () => {
    expect(events('data: one\n\n: just a comment\n\n:\n\ndata: lost')).toEqual([msg('one')]);
  });
});

describe('field rules', () => {
  it('event type defaults to message; an empty event, or a block without data, resets it', () => {
    expect(events('event: a\nevent:\ndata: x\n\n')).toEqual([msg('x')]);
    expect(events('event: lonely\n\ndata: x\n\n')).toEqual([msg('x')]);
  });

  it('last event ID persists across events and is committed at each blank line', () => {
    const result = run(['id: 7\ndata: a\n\ndata: b\n\nid: 8\n\nid: 9\ndata: partial']);
    expect(result.log).toEqual([{ event: msg('a', '7') }, { event: msg('b', '7') }]);
    expect(result.lastEventId).toBe('8'); // the block with id 9 never ended
  });

  it('an id containing NUL is ignored; an empty id resets', () => {
    expect(events('id: 1\n\nid: 2\0\ndata: x\n\nid:\ndata: y\n\n')).toEqual([msg('x', '1'), msg('y', '')]);
  });

  it('retry accepts only ASCII digits', () => {
    const stream = 'retry: 10\nretry: 10a\nretry: -1\nretry: 1.5\nretry:  20\nretry:\nretry: \uFF11\nretry:007\n\n';
    expect(run([stream]).log).toEqual([{ retry: 10 }, { retry: 7 }]);
  });

  it('field names are case-sensitive, unknown fields ignored, value split at the first colon', () => {
    expect(events('Data: no\nfoo: bar\ndata : no\ndata: a:b: c\n\n')).toEqual([msg('a:b: c')]);
  });
});

describe('line endings, BOM and chunking', () => {
  const stream =
    '\uFEFF: hello\r\nretry: 5000\r\nid: 1\revent: e1\ndata: a\r\ndata:\r\n\r\n' +
    'data: b\rdata:  c\r\r: mid\nid\n\nevent: ignored\n\ndata: \uFEFF\u00e9\ud83d\ude00\n\n' +
    'id: x\0y\ndata: last\r\n\r\ndata: dropped';
  const expected: Entry[] = [
    { comment: 'hello' },
    { retry: 5000 },
    { event: msg('a\n', '1', 'e1') },
    { event: msg('b\n c', '1') }, // the id reset below only happens in the next block
    { comment: 'mid' },
    { event: msg('\uFEFF\u00e9\ud83d\ude00', '') },
    { event: msg('last', '') },
  ];

  it('parses LF, CRLF and CR endings in one stream, whole or one UTF-16 code unit per chunk', () => {
    expect(run([stream]).log).toEqual(expected);
    expect(run(stream.split('')).log).toEqual(expected);
  });

  it('every single split point gives the same result', () => {
    for (let i = 0; i <= stream.length; i++) expect(run([stream.slice(0, i), stream.slice(i)]).log).toEqual(expected);
  });

  it('every pair of split points gives the same result', () => {
    for (let i = 0; i <= stream.length; i++) {
      for (let j = i; j <= stream.length; j++) {
        const log = run([stream.slice(0, i), stream.slice(i, j), stream.slice(j)]).log;
        if (JSON.stringify(log) !== JSON.stringify(expected)) expect({ i, j, log }).toEqual({ i, j, log: expected });
      }
    }
  });

  it('CRLF split across chunks is one line ending, even with empty chunks between', () => {
    expect(events(['data: a\r', '\ndata: b\r', '', '\n\r', '\n'])).toEqual([msg('a\nb')]);
  });

  it('CR-only line endings; LF CR is two line endings', () => {
    expect(events('data: a\rdata: b\r\rdata: c\r\r')).toEqual([msg('a\nb'), msg('c')]);
    expect(events(['data: a\r', '\r', 'data: b\r', '\r'])).toEqual([msg('a'), msg('b')]);
    expect(events('data: a\n\rdata: b\n\n')).toEqual([msg('a'), msg('b')]);
  });

  it('strips one BOM at the start of the stream only', () => {
    expect(events('\uFEFFdata: a\n\n')).toEqual([msg('a')]);
    expect(events(['', '\uFEFF', 'data: a\n\n'])).toEqual([msg('a')]);
    expect(events('\uFEFF\uFEFFdata: a\n\ndata: b\n\n')).toEqual([msg('b')]);
    expect(events('data: a\n\n\uFEFFdata: b\n\ndata: c\n\n')).toEqual([msg('a'), msg('c')]);
  });

  it('end() drops the partial event and later input is ignored', () => {
    const got: SseEvent[] = [];
    const parser = createSseParser({ onEvent: (e) => got.push(e) });
    parser.feed('data: a\n');
    parser.end();
    parser.feed('\ndata: b\n\n');
    parser.end();
    expect(got).toEqual([]);
  });
});

describe('maxLineLength and linear time', () => {
  it('drops an over-long line, reports it, discards its block and keeps working', () => {
    const long = `data: ${'x'.repeat(50)}`;
    const chunks = ['data: a\n', ...splitAt(long, [7, 20, 33]), '\ndata: b\n\n', 'data: ok\n\n'];
    const expected: Entry[] = [{ error: 'line_too_long' }, { event: msg('ok') }];
    expect(run(chunks, { maxLineLength: 20 }).log).toEqual(expected);
    expect(run([chunks.join('')], { maxLineLength: 20 }).log).toEqual(expected);
  });

  it('an over-long comment is reported but does not discard the event', () => {
    const stream = `data: a\n:${'c'.repeat(30)}\ndata: b\n\n`;
    const expected: Entry[] = [{ error: 'line_too_long' }, { event: msg('a\nb') }];
    expect(run([stream], { maxLineLength: 10 }).log).toEqual(expected);
  });

  it('a line of exactly maxLineLength is kept, one more is dropped', () => {
    expect(events('data: 12345\n\n', { maxLineLength: 11 })).toEqual([msg('12345')]);
    expect(events('data: 123456\n\n', { maxLineLength: 11 })).toEqual([]);
  });

  it('defaults to 1,048,576 and handles a huge line in pieces in linear time', () => {
    const payload = 'y'.repeat(1_048_576 - 6);
    const line = `data: ${payload}`;
    const pieces = splitAt(
      line,
      Array.from({ length: 4096 }, (_, i) => i * 256),
    );
    expect(events([...pieces, '\n\n'])[0]?.data).toBe(payload);
    expect(run([`${line}z\n\n`]).log).toEqual([{ error: 'line_too_long' }]);
  });

  it('handles many lines in one huge chunk in linear time', () => {
    // Rescanning for the next CR from every line start would take tens of seconds here.
    expect(events(`${'data: x\n'.repeat(1_000_000)}\n`)[0]?.data.length).toBe(2 * 1_000_000 - 1);
  }, 10_000);

  it('rejects an invalid maxLineLength', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect(() => createSseParser({ onEvent: () => {}, maxLineLength: bad })).toThrow(TypeError);
    }
  });
});

describe('fuzz', () => {
  const TOKENS = [':', ' ', '\r', '\n', '\r\n', 'data', 'id', 'retry', 'event', '\uFEFF', '\0', '7', 'x'];
  const tokenSoup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }).map((t) => t.join(''));
  const input = fc.oneof(fc.string({ unit: 'binary' }), tokenSoup);
  const options = fc
    .option(fc.integer({ min: 1, max: 12 }), { nil: undefined })
    .map((max): Options => ({ maxLineLength: max }));

  it('never throws, and chunking never changes the result', () => {
    fc.assert(
      fc.property(input, fc.array(fc.nat(), { maxLength: 12 }), options, (text, cuts, opts) => {
        expect(run(splitAt(text, cuts), opts)).toEqual(run([text], opts));
      }),
      { numRuns: 2000 },
    );
  });
});
