import { createRoute, OpenAPIHono, z, type RouteConfig } from '@hono/zod-openapi';
import type { Client } from '@temporalio/client';
import type { CaseView } from '../../domain/case-model.ts';
import {
  caseViewQuery,
  dismissEffectUpdate,
  retryEffectUpdate,
  searchKeys,
} from '../../workflows/rectification-case/messages.ts';
import type { AuthEnv, Caller } from '../auth.ts';
import type { AppDeps } from '../deps.ts';
import { ProblemError } from '../middleware/problems.ts';
import { caseIdSchema, langQuerySchema, stuckEffectSchema } from '../schemas.ts';
import { bi, jsonResponse, problems } from './declare.ts';

/**
 * /api/admin/stuck-cases: cases with an effect that failed for good (a refused mail, a
 * record that could not be written), found by their RectifyStuck search attribute, and an
 * admin's retry or dismissal of each effect (an update of the running case, recorded on
 * its timeline). Admins only.
 */
const stuckCaseSchema = z
  .object({ caseId: z.string(), stage: z.string(), stuck: z.array(stuckEffectSchema) })
  .openapi('StuckCase');
const stuckListSchema = z.object({ items: z.array(stuckCaseSchema) }).openapi('StuckCases');
const effectAckSchema = z.object({ stuck: z.array(stuckEffectSchema) }).openapi('StuckEffectAck');
export const effectParams = z.object({
  caseId: caseIdSchema,
  effectId: z
    .string()
    .regex(
      /^x\d{1,9}$/,
      '须为列表中显示的操作编号（x1、x2……） / an effect id as the list shows it (x1, x2, …)',
    )
    .openapi({ param: { name: 'effectId', in: 'path' }, example: 'x1' }),
});

export const listStuckCasesRoute = createRoute({
  method: 'get',
  path: '/api/admin/stuck-cases',
  operationId: 'listStuckCases',
  tags: ['admin'],
  summary: bi({ zh: '有失败操作待处理的案件', en: 'Cases with a failed effect waiting for an admin' }),
  // The list is short and whole (no paging): a limit or a stray parameter is refused, not ignored.
  request: { query: langQuerySchema },
  responses: {
    200: jsonResponse(stuckListSchema, { zh: '待处理的案件', en: 'Stuck cases' }),
    ...problems([400, 401, 403, 503]),
  },
});

const effectRoute = (action: 'retry' | 'dismiss', summary: { zh: string; en: string }) =>
  createRoute({
    method: 'post',
    path: `/api/admin/stuck-cases/{caseId}/effects/{effectId}/${action}`,
    operationId: action === 'retry' ? 'retryStuckEffect' : 'dismissStuckEffect',
    tags: ['admin'],
    summary: bi(summary),
    request: { params: effectParams, query: langQuerySchema },
    responses: {
      200: jsonResponse(effectAckSchema, { zh: '仍待处理的操作', en: 'The effects still waiting' }),
      ...problems([400, 401, 403, 404, 422, 503]),
    },
  });

export const retryStuckEffectRoute = effectRoute('retry', {
  zh: '重试一项失败的操作',
  en: 'Retry a failed effect',
});
export const dismissStuckEffectRoute = effectRoute('dismiss', {
  zh: '忽略一项失败的操作',
  en: 'Dismiss a failed effect',
});

export const stuckCaseRouteDefinitions: RouteConfig[] = [
  listStuckCasesRoute,
  retryStuckEffectRoute,
  dismissStuckEffectRoute,
];

/** Who may list, retry and dismiss failed effects (the API and the admin page alike). */
export const STUCK_RULE = {
  zh: '只有管理员可以查看和处理失败的操作',
  en: 'only admins list, retry and dismiss failed effects',
};
export const mayHandleStuck = (caller: Caller): boolean => caller.person.roles.includes('admin');

function adminOnly(caller: Caller): void {
  if (!mayHandleStuck(caller)) throw new ProblemError('forbidden', STUCK_RULE);
}

type StuckCase = Pick<CaseView, 'caseId' | 'stage' | 'title'> & { stuck: NonNullable<CaseView['stuck']> };

/** The cases whose RectifyStuck is set, each with the effects its view says are waiting. */
export async function stuckCases(client: Client): Promise<StuckCase[]> {
  const items: StuckCase[] = [];
  const query = `WorkflowType IN ('rectificationCase', 'rectificationCaseV2') AND ${searchKeys.stuck.name} IS NOT NULL`;
  for await (const wf of client.workflow.list({ query })) {
    // The search attribute lags the case a little: its view is what is waiting now.
    const view = await client.workflow
      .getHandle(wf.workflowId)
      .query(caseViewQuery)
      .catch(() => undefined);
    if (view?.stuck?.length)
      items.push({ caseId: view.caseId, stage: view.stage, title: view.title, stuck: view.stuck });
  }
  return items;
}

/**
 * An admin's retry or dismissal of one waiting effect: `gone` when the case has no such effect
 * waiting (already retried or dismissed, or never there), for each caller to word its way.
 * Shared by the API and the admin page.
 */
export async function handleStuckEffect(
  client: Client,
  caller: Caller,
  action: 'retry' | 'dismiss',
  caseId: string,
  effectId: string,
): Promise<{ gone: true } | { gone: false; stuck: NonNullable<CaseView['stuck']>; failedAgain: boolean }> {
  adminOnly(caller);
  const handle = client.workflow.getHandle(caseId);
  const view = await handle.query(caseViewQuery);
  if (!view.stuck?.some((e) => e.id === effectId)) return { gone: true };
  const update = action === 'retry' ? retryEffectUpdate : dismissEffectUpdate;
  const ack = await handle.executeUpdate(update, { args: [{ actor: caller.actor, effectId }] });
  // A retry that fails again is stuck again under a new id.
  const before = new Set(view.stuck.map((e) => e.id));
  return { gone: false, stuck: ack.stuck, failedAgain: ack.stuck.some((e) => !before.has(e.id)) };
}

export function stuckCaseRoutes(deps: AppDeps): OpenAPIHono<AuthEnv> {
  const app = new OpenAPIHono<AuthEnv>();
  app.openapi(listStuckCasesRoute, async (c) => {
    adminOnly(c.get('caller'));
    const items = await stuckCases(deps.temporal);
    return c.json({ items: items.map(({ caseId, stage, stuck }) => ({ caseId, stage, stuck })) }, 200);
  });
  for (const [route, action] of [
    [retryStuckEffectRoute, 'retry'],
    [dismissStuckEffectRoute, 'dismiss'],
  ] as const) {
    app.openapi(route, async (c) => {
      const { caseId, effectId } = c.req.valid('param');
      const done = await handleStuckEffect(deps.temporal, c.get('caller'), action, caseId, effectId);
      if (done.gone)
        throw new ProblemError('not_found', {
          zh: `案件 ${caseId} 没有待处理的操作 ${effectId}（见 GET /api/admin/stuck-cases）`,
          en: `case ${caseId} has no waiting effect ${effectId} (see GET /api/admin/stuck-cases)`,
        });
      return c.json({ stuck: done.stuck }, 200);
    });
  }
  return app;
}
