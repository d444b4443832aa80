import { Hono } from 'hono';
import type { AppDeps } from './deps.ts';
import { healthReport } from './health.ts';

/** The Rectify HTTP app: the same app runs under Node locally and on Lambda. */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  app.get('/health', async (c) => {
    const report = await healthReport(deps);
    return c.json(report, report.ok ? 200 : 503);
  });
  return app;
}
