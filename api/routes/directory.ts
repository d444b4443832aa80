import { createRoute, OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import type { AuthEnv } from '../auth.ts';
import type { AppDeps } from '../deps.ts';
import { bi, jsonResponse, problems } from './declare.ts';
import { directoryOrFail } from '../reads.ts';
import { buildingsSchema, langQuerySchema, peopleQuerySchema, peopleSchema } from '../schemas.ts';

export const listPeopleRoute = createRoute({
  method: 'get',
  path: '/api/directory/people',
  operationId: 'listPeople',
  tags: ['directory'],
  summary: bi({ zh: '名录中的人员', en: 'People of the directory' }),
  request: { query: peopleQuerySchema },
  responses: {
    200: jsonResponse(peopleSchema, { zh: '人员', en: 'People' }),
    ...problems([400, 401, 503]),
  },
});

export const listBuildingsRoute = createRoute({
  method: 'get',
  path: '/api/directory/buildings',
  operationId: 'listBuildings',
  tags: ['directory'],
  summary: bi({ zh: '楼栋与网格', en: 'Buildings and their grid' }),
  request: { query: langQuerySchema },
  responses: {
    200: jsonResponse(buildingsSchema, { zh: '楼栋', en: 'Buildings' }),
    ...problems([400, 401, 503]),
  },
});

export const directoryRouteDefinitions: RouteConfig[] = [listPeopleRoute, listBuildingsRoute];

/** /api/directory: the people and places a supervisor picks from (any signed-in caller). */
export function directoryRoutes(deps: AppDeps): OpenAPIHono<AuthEnv> {
  const app = new OpenAPIHono<AuthEnv>();
  app.openapi(listPeopleRoute, async (c) => {
    const { role } = c.req.valid('query');
    const dir = await directoryOrFail(deps);
    const items = role ? dir.people.filter((p) => p.roles.includes(role)) : dir.people;
    return c.json({ items }, 200);
  });
  app.openapi(listBuildingsRoute, async (c) => {
    const dir = await directoryOrFail(deps);
    return c.json({ items: dir.buildings }, 200);
  });
  return app;
}
