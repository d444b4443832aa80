import { createHash } from 'node:crypto';
import { createRoute, OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import type { Context } from 'hono';
import { BadCursorError, listCases } from '../../store/case-lists.ts';
import { nextCaseNumber } from '../../store/counters.ts';
import { claimIdempotencyKey, findClaim, type IdempotencyClaim } from '../../store/idempotency.ts';
import { localDate, localTimeToInstant } from '../../domain/calendar.ts';
import type { Actor, CaseInput, CaseView } from '../../domain/case-model.ts';
import { buildPolicy } from '../../domain/case-policy.ts';
import { locationExists, type Directory } from '../../domain/directory.ts';
import { canonicalJson } from '../../domain/hash-chain.ts';
import type { rectificationCase } from '../../workflows/rectification-case/workflow.ts';
import { openedUpdate } from '../../workflows/rectification-case/messages.ts';
import type { AuthEnv } from '../auth.ts';
import type { AppDeps } from '../deps.ts';
import { assertCanRead, listScope, openRefusal, readRefusal } from '../middleware/access.ts';
import { callerLanguage, ProblemError, type FieldError, type Lang } from '../middleware/problems.ts';
import { jsonOnly } from '../middleware/validation.ts';
import { directoryOrFail, readCase } from '../reads.ts';
import {
  caseIdParamSchema,
  caseListQuerySchema,
  caseListSchema,
  caseViewSchema,
  createdCaseSchema,
  idempotencyKeySchema,
  langQuerySchema,
  newCaseSchema,
  type CaseSummary,
  type NewCaseBody,
} from '../schemas.ts';
import { bi, JSON_TYPE, jsonResponse, jsonSchemaOf, langParameter, problems } from './declare.ts';

/**
 * /api/cases: open, list and read cases. Over 350 lines because opening a
 * case carries its whole idempotency story (claim, replay, a racing retry)
 * beside the route that needs it; the steps are ./case-steps.ts.
 */
const caseRead = { params: caseIdParamSchema, query: langQuerySchema };

export const openCaseRoute = createRoute({
  method: 'post',
  path: '/api/cases',
  operationId: 'openCase',
  tags: ['cases'],
  summary: bi({ zh: '新建整改案件', en: 'Open a rectification case' }),
  description: bi({
    zh: '主管在所管楼栋、网格员在本人网格、工作小组和管理员在任何位置新建案件。带 Idempotency-Key 重试会得到同一案件；同一键配不同请求体返回 409。',
    en: 'Supervisors open cases in buildings they supervise, grid members in their own grid, the working group and admins anywhere. Retrying with the same Idempotency-Key returns the same case; the same key with another body is a 409.',
  }),
  // The key is checked in the handler, before the body, with its own message: documented here.
  parameters: [
    langParameter,
    {
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description: 'A unique key kept the same across retries (1-200 visible ASCII characters)',
      schema: jsonSchemaOf(idempotencyKeySchema),
    },
  ],
  middleware: [jsonOnly],
  request: { body: { required: true, content: { [JSON_TYPE]: { schema: newCaseSchema } } } },
  responses: {
    201: jsonResponse(createdCaseSchema, { zh: '案件已开启', en: 'The case is open' }),
    ...problems([400, 401, 403, 409, 413, 415, 422, 503]),
  },
});

export const listCasesRoute = createRoute({
  method: 'get',
  path: '/api/cases',
  operationId: 'listCases',
  tags: ['cases'],
  summary: bi({ zh: '查询案件列表', en: 'List cases' }),
  description: bi({
    zh: '按阶段、楼栋、被指派人、超时、严重程度、来源和开启时间（from 含、to 不含）筛选，按索引查询，最新在前（超时列表按到期时间）。员工看到指派给本人或由本人负责的案件。limit 默认 20、最多 100；把 nextCursor 作为 cursor 取下一页，筛选条件须与取得它的请求相同（否则 400）。',
    en: 'Filter by stage, building, assignee, overdue, severity, source and open time (from inclusive, to exclusive), served from indexes, newest first (overdue: by due time). Staff see the cases assigned to them or that they are responsible for. limit defaults to 20, at most 100; pass nextCursor as cursor for the next page, with the same filters as the request that returned it (else 400).',
  }),
  request: { query: caseListQuerySchema },
  responses: {
    200: jsonResponse(caseListSchema, { zh: '一页案件', en: 'A page of cases' }),
    ...problems([400, 401, 403, 503]),
  },
});

export const getCaseRoute = createRoute({
  method: 'get',
  path: '/api/cases/{caseId}',
  operationId: 'getCase',
  tags: ['cases'],
  summary: bi({ zh: '查看案件', en: 'Read a case' }),
  description: bi({
    zh: '进行中的案件来自工作流的实时查询，已结束的来自存档记录（响应头 X-Case-Source）。',
    en: 'A running case comes from its workflow’s query, a finished one from the stored record (header X-Case-Source).',
  }),
  request: caseRead,
  responses: {
    200: jsonResponse(caseViewSchema, { zh: '案件全貌', en: 'The case' }),
    ...problems([400, 401, 403, 404, 503]),
  },
});

export const caseRouteDefinitions: RouteConfig[] = [openCaseRoute, listCasesRoute, getCaseRoute];

/** /api/cases: open, read and list cases (their steps: ./case-steps.ts). */
export function caseRoutes(deps: AppDeps): OpenAPIHono<AuthEnv> {
  const app = new OpenAPIHono<AuthEnv>();

  app.openapi(openCaseRoute, async (c) => {
    const caller = c.get('caller');
    const lang = callerLanguage(c);
    const idemKey = c.req.header('idempotency-key');
    if (idemKey !== undefined && !idempotencyKeySchema.safeParse(idemKey).success) {
      throw new ProblemError(
        'validation',
        {
          zh: 'Idempotency-Key 须为 1-200 个可见 ASCII 字符',
          en: 'Idempotency-Key must be 1-200 visible ASCII characters',
        },
        [{ field: 'Idempotency-Key', message: lang === 'en' ? 'invalid key' : '无效的键' }],
      );
    }
    const body = c.req.valid('json');
    const dir = await directoryOrFail(deps);
    const refusal = openRefusal(caller, dir, body.location);
    const mayOpenSomewhere = caller.person.roles.some((r) =>
      ['supervisor', 'grid_member', 'admin', 'working_group'].includes(r),
    );
    if (refusal && !mayOpenSomewhere) throw new ProblemError('forbidden', refusal);
    assertKnownPlaceAndAssignee(dir, body, lang);
    if (refusal) throw new ProblemError('forbidden', refusal);

    const requestHash = createHash('sha256').update(canonicalJson(body)).digest('hex');
    if (idemKey) {
      const existing = await findClaim(deps.aws.ddb, deps.aws.tables, caller.person.id, idemKey);
      if (existing) return replay(c, existing, requestHash);
    }
    const now = new Date();
    const openedAt = now.toISOString();
    const year = Number(localDate(openedAt, deps.env.CAMPUS_TZ).slice(0, 4));
    const caseId = await nextCaseNumber(deps.aws.ddb, deps.aws.tables, year);
    const input = caseInputFor(dir, body, caseId, caller.actor, openedAt);
    if (idemKey) {
      const claim = await claimIdempotencyKey(deps.aws.ddb, deps.aws.tables, {
        scope: caller.person.id,
        key: idemKey,
        requestHash,
        resultId: caseId,
        payload: JSON.stringify(input),
        createdAt: openedAt,
      });
      if (!claim.claimed) return replay(c, claim.existing, requestHash);
    }
    // With a key, the case number is now the claim's: a concurrent retry that found the claim may
    // already have started the workflow from it, and that is the same case, not a conflict.
    const view = await openCase(input, idemKey !== undefined);
    return c.json(created(view), 201, { location: `/api/cases/${caseId}` });
  });

  app.openapi(listCasesRoute, async (c) => {
    const caller = c.get('caller');
    const q = c.req.valid('query');
    const dir = await directoryOrFail(deps);
    const scope = listScope(caller, dir);
    if (scope.onlyParty && q.assigneeId && q.assigneeId !== scope.onlyParty) {
      throw new ProblemError('forbidden', {
        zh: `员工只能查看指派给本人或由本人负责的案件；assigneeId 只能是本人（${scope.onlyParty}）或不填`,
        en: `staff may list only the cases assigned to them or that they are responsible for; leave assigneeId out or set it to yourself (${scope.onlyParty})`,
      });
    }
    if (scope.onlyBuildings && q.buildingId && !scope.onlyBuildings.includes(q.buildingId)) {
      throw new ProblemError('forbidden', {
        zh: `主管只能查看所管楼栋的案件（${q.buildingId} 不归您管）`,
        en: `supervisors may list only the buildings they supervise (${q.buildingId} is not yours)`,
      });
    }
    const tz = deps.env.CAMPUS_TZ;
    const instant = (v: string | undefined) =>
      v === undefined
        ? undefined
        : /^\d{4}-\d{2}-\d{2}$/.test(v)
          ? localTimeToInstant(v, '00:00', tz)
          : new Date(v).toISOString();
    const from = instant(q.from);
    const to = instant(q.to);
    if (from && to && from > to) {
      throw new ProblemError('validation', { zh: 'to 须晚于 from', en: 'to must not be before from' }, [
        { field: 'to', message: callerLanguage(c) === 'en' ? 'before from' : '早于 from' },
      ]);
    }
    try {
      const page = await listCases(deps.aws.ddb, deps.aws.tables, {
        filters: {
          stage: q.stage,
          buildingId: q.buildingId,
          assigneeId: q.assigneeId,
          partyId: scope.onlyParty,
          overdue: q.overdue === undefined ? undefined : q.overdue === 'true',
          severity: q.severity,
          source: q.source,
          from,
          to,
          buildingIn: q.buildingId ? undefined : scope.onlyBuildings,
        },
        limit: q.limit,
        cursor: q.cursor,
        keep: scope.all ? undefined : (v) => readRefusal(caller, dir, v) === null,
      });
      return c.json({ items: page.items.map(summary), nextCursor: page.nextCursor }, 200);
    } catch (err) {
      if (err instanceof BadCursorError) {
        throw new ProblemError(
          'validation',
          { zh: `cursor 无效：${err.message}`, en: `bad cursor: ${err.message}` },
          [{ field: 'cursor', message: err.message }],
        );
      }
      throw err;
    }
  });

  app.openapi(getCaseRoute, async (c) => {
    const { caseId } = c.req.valid('param');
    const dir = await directoryOrFail(deps);
    const { view, source } = await readCase(deps, caseId);
    assertCanRead(c.get('caller'), dir, view);
    return c.json(view, 200, { 'x-case-source': source });
  });

  /**
   * Starts the case workflow and waits until it is open (its first deadline set). `fromClaim`: the
   * case number belongs to an idempotency claim, so a workflow already started under it is this
   * very request's case (started by a retry racing this one), never another case.
   */
  async function openCase(input: CaseInput, fromClaim: boolean): Promise<CaseView> {
    try {
      const handle = await deps.temporal.workflow.start<typeof rectificationCase>('rectificationCase', {
        taskQueue: deps.env.TEMPORAL_TASK_QUEUE,
        workflowId: input.caseId,
        // A case number is never reused, even after its case closed.
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        args: [input],
      });
      return await handle.executeUpdate(openedUpdate, { args: [{}] });
    } catch (err) {
      if (!(fromClaim && err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    try {
      return await deps.temporal.workflow.getHandle(input.caseId).executeUpdate(openedUpdate, { args: [{}] });
    } catch (err) {
      // The first request's case has already run its course: answer from what it became.
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      return (await readCase(deps, input.caseId)).view;
    }
  }

  async function replay(c: Context<AuthEnv>, claim: IdempotencyClaim, requestHash: string) {
    if (claim.requestHash !== requestHash) {
      throw new ProblemError('conflict', {
        zh: `Idempotency-Key「${claim.key}」已用于另一个不同的请求（案件 ${claim.resultId}）；新请求请换一个键`,
        en: `Idempotency-Key "${claim.key}" was already used with a different body (case ${claim.resultId}); use a new key for a new request`,
      });
    }
    const view = await openCase(JSON.parse(claim.payload) as CaseInput, true);
    return c.json(created(view), 201, {
      location: `/api/cases/${claim.resultId}`,
      'idempotent-replayed': 'true',
    });
  }

  function caseInputFor(
    dir: Directory,
    body: NewCaseBody,
    caseId: string,
    openedBy: Actor,
    openedAt: string,
  ): CaseInput {
    return {
      caseId,
      title: body.title,
      description: body.description,
      source: body.source,
      severity: body.severity,
      category: body.category,
      location: body.location,
      assigneeId: body.assigneeId,
      reporter: body.reporter,
      openedBy,
      openedAt,
      policy: buildPolicy(dir, body, { timeZone: deps.env.CAMPUS_TZ }),
    };
  }

  return app;
}

/** 422 with a field error for each reference the directory doesn't know. */
function assertKnownPlaceAndAssignee(dir: Directory, body: NewCaseBody, lang: Lang): void {
  const errors: FieldError[] = [];
  if (!locationExists(dir, body.location)) {
    errors.push({
      field: 'location',
      message:
        lang === 'en'
          ? `no such place in the campus grid: ${JSON.stringify(body.location)} (see GET /api/directory/buildings)`
          : `校园网格中没有该位置：${JSON.stringify(body.location)}（见 GET /api/directory/buildings）`,
    });
  }
  const assignee = dir.people.find((p) => p.id === body.assigneeId);
  if (!assignee?.roles.includes('staff')) {
    errors.push({
      field: 'assigneeId',
      message:
        lang === 'en'
          ? `${body.assigneeId} is not a staff member of the directory (see GET /api/directory/people?role=staff)`
          : `${body.assigneeId} 不是名录中的员工（见 GET /api/directory/people?role=staff）`,
    });
  }
  if (errors.length > 0) {
    throw new ProblemError(
      'unprocessable',
      { zh: '位置或指派人不在校园名录中', en: 'the place or the assignee is not in the campus directory' },
      errors,
    );
  }
}

const created = (v: CaseView) => ({ caseId: v.caseId, stage: v.stage, deadlines: v.deadlines });

function summary(v: CaseView): CaseSummary {
  const open = v.deadlines.find((d) => !d.closedAt);
  return {
    caseId: v.caseId,
    title: v.title,
    source: v.source,
    severity: v.severity,
    category: v.category,
    location: v.location,
    assigneeId: v.assigneeId,
    responsibleId: v.responsibleId,
    openedBy: v.openedBy,
    openedAt: v.openedAt,
    stage: v.stage,
    round: v.round,
    overdue: v.overdue,
    due: open?.due,
    closedAt: v.closedAt,
    version: v.version,
  };
}
