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
import { caseIdSchema, stuckEffectSchema } from '../schemas.ts';
import { bi, jsonResponse, langParameter, problems } from './declare.ts';

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
const effectParams = z.object({
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
  parameters: [langParameter],
  responses: {
    200: jsonResponse(stuckListSchema, { zh: '待处理的案件', en: 'Stuck cases' }),
    ...problems([401, 403, 503]),
  },
});

const effectRoute = (action: 'retry' | 'dismiss', summary: { zh: string; en: string }) =>
  createRoute({
    method: 'post',
    path: `/api/admin/stuck-cases/{caseId}/effects/{effectId}/${action}`,
    operationId: action === 'retry' ? 'retryStuckEffect' : 'dismissStuckEffect',
    tags: ['admin'],
    summary: bi(summary),
    parameters: [langParameter],
    request: { params: effectParams },
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

function adminOnly(caller: Caller): void {
  if (!caller.person.roles.includes('admin'))
    throw new ProblemError('forbidden', {
      zh: '只有管理员可以查看和处理失败的操作',
      en: 'only admins list, retry and dismiss failed effects',
    });
}

/** The cases whose RectifyStuck is set, each with the effects its view says are waiting. */
export async function stuckCases(
  client: Client,
): Promise<{ caseId: string; stage: string; stuck: NonNullable<CaseView['stuck']> }[]> {
  const items = [];
  const query = `WorkflowType IN ('rectificationCase', 'rectificationCaseV2') AND ${searchKeys.stuck.name} IS NOT NULL`;
  for await (const wf of client.workflow.list({ query })) {
    // The search attribute lags the case a little: its view is what is waiting now.
    const view = await client.workflow
      .getHandle(wf.workflowId)
      .query(caseViewQuery)
      .catch(() => undefined);
    if (view?.stuck?.length) items.push({ caseId: view.caseId, stage: view.stage, stuck: view.stuck });
  }
  return items;
}

export function stuckCaseRoutes(deps: AppDeps): OpenAPIHono<AuthEnv> {
  const app = new OpenAPIHono<AuthEnv>();
  app.openapi(listStuckCasesRoute, async (c) => {
    adminOnly(c.get('caller'));
    return c.json({ items: await stuckCases(deps.temporal) }, 200);
  });
  for (const [route, update] of [
    [retryStuckEffectRoute, retryEffectUpdate],
    [dismissStuckEffectRoute, dismissEffectUpdate],
  ] as const) {
    app.openapi(route, async (c) => {
      const caller = c.get('caller');
      adminOnly(caller);
      const { caseId, effectId } = c.req.valid('param');
      const handle = deps.temporal.workflow.getHandle(caseId);
      const view = await handle.query(caseViewQuery);
      if (!view.stuck?.some((e) => e.id === effectId))
        throw new ProblemError('not_found', {
          zh: `案件 ${caseId} 没有待处理的操作 ${effectId}（见 GET /api/admin/stuck-cases）`,
          en: `case ${caseId} has no waiting effect ${effectId} (see GET /api/admin/stuck-cases)`,
        });
      const ack = await handle.executeUpdate(update, { args: [{ actor: caller.actor, effectId }] });
      return c.json(ack, 200);
    });
  }
  return app;
}
