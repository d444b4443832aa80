import { describe, expect, it } from 'vitest';
import { createApp } from './app.ts';
import type { AppDeps } from './deps.ts';

/**
 * Found by an outside check of `npm start`: the first address its banner prints, the root, was a
 * 404. A browser now goes on to the web app (which sends a stranger to sign in); a client asking
 * for JSON gets the entry points. Only the root route runs, so the dependencies are stubs.
 */
const app = createApp({
  env: { RECTIFY_MODE: 'local', CAMPUS_TZ: 'Asia/Shanghai', TEMPORAL_NAMESPACE: 'default' },
  jwtSecret: 'root-route-test-secret',
  publicBaseUrl: 'http://localhost',
  temporalUiUrl: 'http://localhost:8233',
  aws: {},
  temporal: {},
  signingKeys: { current: 'k1', keys: { k1: 'x'.repeat(32) } },
} as unknown as AppDeps);

describe('the root address', () => {
  it('sends a browser on to the web app', async () => {
    const res = await app.request('/', { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/app');
  });

  it('sends a client that names no type (curl) on to the web app too', async () => {
    const res = await app.request('/');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/app');
  });

  it('answers a client asking for JSON with the entry points', async () => {
    const res = await app.request('/', { headers: { accept: 'application/json' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      app: '/app',
      login: '/login',
      docs: '/docs',
      openapi: '/openapi.json',
      health: '/health',
    });
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await (await app.request('/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(doc.paths['/']).toHaveProperty('get');
  });
});
