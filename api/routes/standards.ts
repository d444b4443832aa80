import { Hono } from 'hono';
import { standards } from '../../domain/standards/catalogue.ts';
import type { AuthEnv } from '../auth.ts';

/**
 * `GET /api/standards`: the 6T catalogue (seed 000) as it is versioned in the
 * repository, every item in Chinese as the standard writes it with its English
 * gloss and, where a failure opens a case, the SLA rule and severity. Any
 * signed-in person may read it (the /api middleware authenticates).
 */
export function standardsRoutes(): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  app.get('/api/standards', (c) => c.json(standards));
  return app;
}
