import type { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createApp } from './app.ts';
import type { AppDeps } from './deps.ts';
import { openApiDocument } from './openapi.ts';

/**
 * Every route the app really serves is in /openapi.json: the walk is over
 * `app.routes` (what Hono dispatches), not over the declarations, so a route
 * added with a plain `app.get` fails here. Only inspecting the app, so the
 * dependencies are stubs that are never called.
 */
const stubDeps = {
  env: { RECTIFY_MODE: 'local', CAMPUS_TZ: 'Asia/Shanghai', TEMPORAL_NAMESPACE: 'default' },
  jwtSecret: 'route-coverage-test-secret',
  publicBaseUrl: 'http://localhost',
  temporalUiUrl: 'http://localhost:8233',
  aws: {},
  temporal: {},
  signingKeys: { current: 'k1', keys: { k1: 'x'.repeat(32) } },
} as unknown as AppDeps;

interface Doc {
  paths: Record<string, Record<string, unknown>>;
}

/** The served routes (method + path, OpenAPI style) that the app's own document lacks. */
async function undocumented(app: Hono): Promise<string[]> {
  const doc = (await (await app.request('/openapi.json')).json()) as Doc;
  const served = app.routes
    // Middleware (`app.use`) and catch-all answers (405 pages) register as ALL.
    .filter((r) => r.method !== 'ALL')
    .map((r) => ({ method: r.method.toLowerCase(), path: r.path.replace(/:([^/]+)/g, '{$1}') }));
  return [
    ...new Set(
      served.filter((r) => !doc.paths[r.path]?.[r.method]).map((r) => `${r.method.toUpperCase()} ${r.path}`),
    ),
  ];
}

describe('route coverage', () => {
  it('every route the app serves is in /openapi.json', async () => {
    const app = createApp(stubDeps);
    expect(app.routes.filter((r) => r.method !== 'ALL').length).toBeGreaterThanOrEqual(20);
    expect(await undocumented(app)).toEqual([]);
  });

  it('the declarations the tests read (api/routes/index.ts) are the ones the app registers', async () => {
    const served = (await (await createApp(stubDeps).request('/openapi.json')).json()) as Doc;
    const declared = openApiDocument() as unknown as Doc;
    const ops = (d: Doc) =>
      Object.entries(d.paths)
        .flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m} ${path}`))
        .sort();
    expect(ops(declared)).toEqual(ops(served));
  });

  it('a route added without its declaration is caught', async () => {
    const app = createApp(stubDeps);
    app.get('/api/undocumented/:id', (c) => c.text('hidden'));
    expect(await undocumented(app)).toEqual(['GET /api/undocumented/{id}']);
  });

  it('the document lists every operation once, each with an operationId and bilingual summary', async () => {
    const doc = (await (await createApp(stubDeps).request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, { operationId?: string; summary?: string }>>;
    };
    const ops = Object.values(doc.paths).flatMap((m) => Object.values(m));
    const ids = ops.map((o) => o.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const o of ops) expect(o.summary).toMatch(/^[^/]*[\u4e00-\u9fff][^/]* \/ [A-Za-z]/);
  });
});
