import { Agent, request } from 'node:http';

/** Publishes over the hub's HTTP API on keep-alive connections, as a backend would. */
export interface HttpPublisher {
  publish(topic: string, data: unknown): Promise<void>;
  close(): void;
}

const REQUEST_TIMEOUT_MS = 10_000;

/** A publisher with at most `sockets` requests in flight. */
export function createHttpPublisher(port: number, apiKey: string, sockets: number): HttpPublisher {
  const agent = new Agent({ keepAlive: true, maxSockets: sockets });
  return {
    publish(topic, data) {
      const body = JSON.stringify({ topic, data });
      return new Promise((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port,
            path: '/api/publish',
            method: 'POST',
            agent,
            timeout: REQUEST_TIMEOUT_MS,
            headers: {
              authorization: `Bearer ${apiKey}`,
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body),
            },
          },
          (res) => {
            res.resume();
            res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
          },
        );
        req.on('timeout', () => req.destroy(new Error('publish timed out')));
        req.on('error', reject);
        req.end(body);
      });
    },
    close: () => agent.destroy(),
  };
}
