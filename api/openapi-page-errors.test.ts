import { describe, expect, it } from 'vitest';
import { createApp } from './app.ts';
import type { AppDeps } from './deps.ts';

/**
 * The web app's addresses answer a wrong method with a 405 page and a query parameter given
 * twice with a 400 page (the guards in front of every /app route); the served document says so
 * for each of them. Only /openapi.json runs, so the dependencies are stubs.
 */
const app = createApp({
  env: { RECTIFY_MODE: 'local', CAMPUS_TZ: 'Asia/Shanghai', TEMPORAL_NAMESPACE: 'default' },
  jwtSecret: 'openapi-page-errors-test-secret',
  publicBaseUrl: 'http://localhost',
  temporalUiUrl: 'http://localhost:8233',
  aws: {},
  temporal: {},
  signingKeys: { current: 'k1', keys: { k1: 'x'.repeat(32) } },
} as unknown as AppDeps);

interface Response {
  description: string;
  content?: Record<string, unknown>;
}
type Paths = Record<string, Record<string, { responses: Record<string, Response> }>>;

async function served(): Promise<Paths> {
  const res = await app.request('/openapi.json');
  expect(res.status).toBe(200);
  return ((await res.json()) as { paths: Paths }).paths;
}

describe('the served OpenAPI document’s page routes', () => {
  it('lists the 400 of a repeated query parameter and the 405 of a wrong method, as pages, zh and en', async () => {
    const paths = await served();
    const list = paths['/app/cases']!.get!.responses;
    expect(Object.keys(list)).toEqual(expect.arrayContaining(['400', '405']));
    expect(list['400']!.description).toContain('同一查询参数给了多次');
    expect(list['400']!.description).toContain('A query parameter given more than once');
    expect(Object.keys(list['400']!.content ?? {})).toContain('text/html');
    expect(list['405']!.description).toContain('此地址不接受该请求方法');
    expect(list['405']!.description).toContain('its Allow header naming the methods it takes');
    expect(Object.keys(list['405']!.content ?? {})).toEqual(['text/html']);

    // A file route keeps its own problem+json 400 and gains the guard's page beside it.
    const csv = paths['/app/cases/export.csv']!.get!.responses['400']!;
    expect(Object.keys(csv.content ?? {})).toEqual(['application/problem+json', 'text/html']);
    expect(csv.description).toContain('A query parameter given more than once');

    // A form's address: a wrong method is a 405; its fields, not its query, are its 400.
    const form = paths['/app/triage/{reportId}']!.post!.responses;
    expect(form['405']!.description).toContain('Allow');
    expect(form['400']!.description).not.toContain('given more than once');
  });

  it('every /app route lists a 405, every read a 400; the API routes served beside them do not get the pages’', async () => {
    const paths = await served();
    for (const [path, ops] of Object.entries(paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const at = `${method.toUpperCase()} ${path}`;
        if (path === '/app' || path.startsWith('/app/')) {
          expect(op.responses['405'], at).toBeDefined();
          if (method === 'get') expect(op.responses['400']?.description, at).toContain('?stage=a&stage=b');
        } else if (path.startsWith('/api/')) {
          expect(op.responses['405']?.description ?? '', at).not.toContain('此地址不接受该请求方法');
        }
      }
    }
  });
});
