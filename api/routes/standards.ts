import { Hono, type MiddlewareHandler } from 'hono';
import { standards } from '../../domain/standards/catalogue.ts';
import type { AuthEnv } from '../auth.ts';
import type { AppDeps } from '../deps.ts';
import { bearerOrSession } from '../middleware/bearer-or-session.ts';

/**
 * `GET /api/standards`: the 6T catalogue (seed 000) as it is versioned in the
 * repository, every item in Chinese as the standard writes it with its English
 * gloss and, where a failure opens a case, the SLA rule and severity. Any
 * signed-in person may read it, with a bearer token or the page session.
 */
export function standardsRoutes(deps: AppDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const auth = bearerOrSession(deps) as unknown as MiddlewareHandler<AuthEnv>;
  app.get('/api/standards', auth, (c) => c.json(standards));
  return app;
}
