import { Hono } from 'hono';
import type { AuthEnv } from './auth.ts';
import { directoryOrFail } from './case-source.ts';
import type { AppDeps } from './deps.ts';
import { langQuerySchema, peopleQuerySchema } from './schemas.ts';
import { queryOf } from './validate.ts';

/** /api/directory: the people and places a supervisor picks from (any signed-in caller). */
export function directoryRoutes(deps: AppDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  app.get('/people', async (c) => {
    const { role } = queryOf(c, peopleQuerySchema);
    const dir = await directoryOrFail(deps);
    const items = role ? dir.people.filter((p) => p.roles.includes(role)) : dir.people;
    return c.json({ items });
  });
  app.get('/buildings', async (c) => {
    queryOf(c, langQuerySchema);
    const dir = await directoryOrFail(deps);
    return c.json({ items: dir.buildings });
  });
  return app;
}
