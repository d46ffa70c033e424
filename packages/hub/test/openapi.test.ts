import { describe, expect, it } from 'vitest';
import { type ApiServices, apiRoutes } from '../src/api/routes';
import { openApiDocument } from '../src/index';
import { KEYS, startTestHub } from './support/test-hub';

type Operation = {
  'x-scope'?: string;
  responses: Record<string, unknown>;
  parameters?: { name: string; in: string }[];
};
const doc = openApiDocument() as { openapi: string; paths: Record<string, Record<string, Operation>> };
const operations = Object.entries(doc.paths).flatMap(([route, methods]) =>
  Object.entries(methods).map(([method, operation]) => ({ route, method: method.toUpperCase(), operation })),
);
/** A concrete URL for a documented path (path parameters filled, required queries given). */
function urlOf(route: string, operation: Operation): string {
  const path = route.replace(/\{\w+\}/g, '42');
  const topic = operation.parameters?.some((p) => p.name === 'topic' && p.in === 'query');
  return topic ? `${path}?topic=news` : path;
}

describe('the OpenAPI document', () => {
  it('is served at /openapi.json as OpenAPI 3.1', async () => {
    await using t = await startTestHub();
    expect(await t.api('/openapi.json')).toEqual({ status: 200, body: doc });
    expect(doc.openapi).toBe('3.1.0');
  });

  it('has exactly the routes of the route table, with the same scopes', () => {
    const table = apiRoutes({} as ApiServices).map((r) => [r.method, r.path, r.scope]);
    const documented = operations
      .filter((o) => o.route.startsWith('/api/'))
      .map((o) => [o.method, o.route, o.operation['x-scope']]);
    expect(documented.sort()).toEqual(table.sort());
  });

  it('documents every route the hub answers, and the hub answers every documented route', async () => {
    await using t = await startTestHub();
    // Every /api route not in the document is a 404; every documented one answers something else.
    for (const { route, method, operation } of operations) {
      const response = await fetch(`${t.base}${urlOf(route, operation)}`, {
        method,
        headers: { authorization: `Bearer ${KEYS.admin}`, 'content-type': 'application/json' },
        ...(method === 'POST' ? { body: '{}' } : {}),
      });
      expect([route, method, response.status]).not.toEqual([route, method, 404]);
      expect([route, method, response.status]).not.toEqual([route, method, 405]);
      expect(Object.keys(operation.responses), `${method} ${route} answered ${response.status}`).toContain(
        String(response.status),
      );
    }
    for (const undocumented of ['/api/users/42/kick', '/api/publish/many', '/api/topics']) {
      expect((await t.api(undocumented, { key: 'admin' })).status).toBe(404);
    }
  });

  it('names the scope of each /api route: a key of another scope gets 403, no key 401, both documented', async () => {
    await using t = await startTestHub();
    const api = operations.filter((o) => o.route.startsWith('/api/'));
    expect(api.length).toBeGreaterThan(0);
    for (const { route, method, operation } of api) {
      const scope = operation['x-scope'] as keyof typeof KEYS;
      expect(Object.keys(KEYS)).toContain(scope);
      const other = (Object.keys(KEYS) as (keyof typeof KEYS)[]).find((s) => s !== scope && s !== 'admin');
      const url = urlOf(route, operation);
      const body = method === 'POST' ? {} : undefined;
      const anonymous = await t.api(url, { method, body });
      const wrong = await t.api(url, { method, body, key: other });
      expect([route, method, anonymous.status, wrong.status]).toEqual([route, method, 401, 403]);
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['401', '403']));
    }
  });

  it('names a schema for every answer of an /api route, and the headers of 413 and 429', () => {
    const api = operations.filter((o) => o.route.startsWith('/api/'));
    for (const { route, method, operation } of api) {
      for (const [status, response] of Object.entries(operation.responses) as [string, Record<string, any>][]) {
        const schema = response['content']?.['application/json']?.['schema'];
        expect([route, method, status, schema?.$ref]).toEqual([
          route,
          method,
          status,
          expect.stringMatching(/^#\/components\/schemas\/\w+$/),
        ]);
        if (status === '429') expect(Object.keys(response['headers'] ?? {})).toContain('Retry-After');
        if (status === '413') expect(Object.keys(response['headers'] ?? {})).toContain('Connection');
      }
    }
  });
});
