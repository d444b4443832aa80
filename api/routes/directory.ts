import { createRoute, OpenAPIHono, z, type RouteConfig } from '@hono/zod-openapi';
import { removedWithOpenCases } from '../removed-people.ts';
import { catchUpStranded } from '../stranded-notices.ts';
import { loadTold } from '../../store/directory-told.ts';
import type { AuthEnv } from '../auth.ts';
import type { Role } from '../../domain/directory.ts';
import { requireRole } from '../middleware/bearer-auth.ts';
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
  description: bi({
    zh: '任何已登录者可读；电子邮箱只给主管、工作组、校领导、审计员和管理员',
    en: 'Any signed-in caller; email addresses only for supervisors, the working group, leadership, auditors and admins',
  }),
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

const withOpenCases = z.object({
  personId: z.string(),
  openCases: z.array(
    z.object({
      caseId: z.string(),
      title: z.string(),
      stage: z.string(),
      assigneeId: z.string(),
      responsibleId: z.string().nullable(),
    }),
  ),
});

const removedSchema = z.object({
  version: z.number().int().nullable(),
  at: z.string().nullable(),
  removed: z.array(withOpenCases),
  /** Still in the directory, but left with no role that acts on cases (staff made auditor). */
  demoted: z.array(withOpenCases),
  /**
   * Whom this snapshot's save told of the open cases it stranded, per building (its supervisors,
   * or the working group where it has none); null while the mail has not gone or had none to send.
   */
  told: z
    .array(
      z.object({
        buildingId: z.string(),
        workingGroup: z.boolean(),
        /** Whose mail went. */
        recipientIds: z.array(z.string()),
        /** Whose mail the mail service refused for good (a bad address): tell them another way. */
        undeliveredIds: z.array(z.string()),
        caseIds: z.array(z.string()),
      }),
    )
    .nullable(),
});

export const removedPeopleRoute = createRoute({
  method: 'get',
  path: '/api/directory/removed',
  operationId: 'listRemovedPeople',
  tags: ['directory'],
  summary: bi({
    zh: '本次名录快照移除的人员、失去处理案件角色的人员，及其待重新指派的未结案件（管理员）',
    en: 'People the current directory snapshot removed or left without a role that acts on cases, with their open cases to reassign (admins)',
  }),
  request: { query: langQuerySchema },
  responses: {
    200: jsonResponse(removedSchema, { zh: '移除的人员', en: 'Removed people' }),
    ...problems([400, 401, 403, 503]),
  },
});

export const directoryRouteDefinitions: RouteConfig[] = [
  listPeopleRoute,
  listBuildingsRoute,
  removedPeopleRoute,
];

const CONTACT_READERS = new Set<Role>(['supervisor', 'working_group', 'leadership', 'auditor', 'admin']);

/** /api/directory: the people and places a supervisor picks from (any signed-in caller). */
export function directoryRoutes(deps: AppDeps): OpenAPIHono<AuthEnv> {
  const app = new OpenAPIHono<AuthEnv>();
  app.openapi(listPeopleRoute, async (c) => {
    const { role } = c.req.valid('query');
    const dir = await directoryOrFail(deps);
    const listed = role ? dir.people.filter((p) => p.roles.includes(role)) : dir.people;
    // Staff pick a colleague by name, and a student grid member needs nobody's address: the
    // whole campus's emails go only to those who assign or oversee.
    const contacts = c.get('caller').person.roles.some((r) => CONTACT_READERS.has(r));
    const items = contacts ? listed : listed.map(({ email: _email, ...rest }) => rest);
    return c.json({ items }, 200);
  });
  app.openapi(listBuildingsRoute, async (c) => {
    const dir = await directoryOrFail(deps);
    return c.json({ items: dir.buildings }, 200);
  });
  app.openapi(removedPeopleRoute, async (c) => {
    requireRole(c.get('caller'), ['admin'], {
      zh: '只有管理员可以查看被移除人员的待指派案件',
      en: 'only admins see removed people and the cases to reassign',
    });
    // A save whose mail did not go (the process died after it, a mail failed) is told first,
    // unless another look told it within the last few minutes.
    await catchUpStranded(deps).catch((err: unknown) => {
      console.warn(`[directory] could not catch up the stranded-case mails: ${String(err)}`);
    });
    const list = await removedWithOpenCases(deps);
    const told = list.version === null ? null : await loadTold(deps.aws.ddb, deps.aws.tables, list.version);
    return c.json(
      {
        ...list,
        told:
          told?.buildings.map((b) => ({
            buildingId: b.buildingId,
            workingGroup: b.workingGroup,
            recipientIds: b.recipients.map((r) => r.id),
            undeliveredIds: b.undelivered.map((r) => r.id),
            caseIds: b.caseIds,
          })) ?? null,
      },
      200,
    );
  });
  return app;
}
