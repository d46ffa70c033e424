import { request } from 'node:http';

/** What a request got back. */
export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json: unknown;
}

/** A request over a raw socket: `body` may be a list of chunks (sent chunked unless a length is declared). */
export function send(
  url: string,
  init: {
    method?: string | undefined;
    headers?: Record<string, string> | undefined;
    body?: string | Buffer[] | undefined;
  } = {},
) {
  return new Promise<Answer>((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers });
    let answered = false;
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    req.on('response', (res) => {
      answered = true;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        let json: unknown;
        try {
          json = body ? JSON.parse(body) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json });
      });
    });
    for (const chunk of typeof init.body === 'string' ? [init.body] : (init.body ?? [])) req.write(chunk);
    req.end();
  });
}
