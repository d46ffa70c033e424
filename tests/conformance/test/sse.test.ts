import { describe, expect, it } from 'vitest';
import { useServerUnderTest } from './support/server-under-test';

/** PROTOCOL.md §1.2: the Server-Sent Events transport, read as raw text. */
const server = useServerUnderTest();

/** Opens `/events?…` and collects its text until `until` holds (or the deadline passes). */
async function stream(query: string, until: (text: string) => boolean, headers: Record<string, string> = {}) {
  const abort = new AbortController();
  // The deadline aborts a read that is still waiting, so a silent stream fails the test instead of hanging it.
  const signal = AbortSignal.any([abort.signal, AbortSignal.timeout(10_000)]);
  const response = await fetch(`${server.httpUrl}/events?${query}`, { headers, signal });
  const reader = response.body?.getReader();
  let text = '';
  try {
    while (reader && !until(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
  } catch (error) {
    if (!signal.aborted) throw error;
  }
  abort.abort();
  return { response, text };
}

/** The `event:`/`id:`/`data:` blocks of a stream. */
const events = (text: string) =>
  text
    .split('\n\n')
    .map((block) =>
      Object.fromEntries(
        block.split('\n').map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]),
      ),
    )
    .filter((block) => 'event' in block);

describe('§1.2 Server-Sent Events', () => {
  it('answers 200 text/event-stream with the caching headers, `retry:` first, then `subscribed`', async () => {
    const { response, text } = await stream(`topic=${server.room()}`, (t) => t.includes('event: subscribed'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('cache-control')).toBe('no-cache, no-transform');
    expect(text).toMatch(/^retry: \d+\n/);
    expect(events(text)[0]).toMatchObject({ event: 'subscribed' });
  });

  it('a message is an event whose data is the envelope and whose id is the position; Last-Event-ID resumes after it', async () => {
    const topic = server.room();
    const writer = await server.connect();
    writer.send({ type: 'publish', id: 1, topic, data: { text: 'one' } });
    const { offset: first } = (await writer.next('ack')) as { offset: string };
    writer.send({ type: 'publish', id: 2, topic, data: { text: 'two' } });
    await writer.next('ack', (e) => e.id === 2);
    const resumed = await stream(`topic=${topic}`, (t) => t.includes('event: message'), { 'last-event-id': first });
    const message = events(resumed.text).find((e) => e['event'] === 'message');
    expect(JSON.parse(message?.['data'] ?? '{}')).toMatchObject({ type: 'message', topic, data: { text: 'two' } });
    expect(message?.['id']).toMatch(/^[A-Za-z0-9_-]+:2$/);
  });

  it("§7.11: `subscribed` and `error` events carry the topic's index in the request as `id`; `id:` keeps a slot per topic", async () => {
    const [a, b] = [server.room(), server.room()];
    const { text } = await stream(
      `topic=${a}&topic=nowhere&topic=${b}`,
      (t) => (t.match(/event: /g) ?? []).length >= 3,
    );
    const payloads = events(text).map((e) => [
      e['event'],
      JSON.parse(e['data'] ?? '{}').id,
      (e['id'] ?? '').split(',').length,
    ]);
    expect(payloads).toEqual(
      expect.arrayContaining([
        ['subscribed', 0, 3],
        ['error', 1, 3],
        ['subscribed', 2, 3],
      ]),
    );
  });

  it('when every topic is refused the answer is an HTTP status, never 200', async () => {
    const { response } = await stream('topic=nowhere', () => true);
    expect(response.status).toBe(404);
  });
});
