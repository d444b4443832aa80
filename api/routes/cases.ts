import { clockStatuses, reportedAtOf } from '../../domain/case-clocks.ts';
import { createRoute, OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import { caseCitation } from '../../domain/case-citation.ts';
import type { CaseView } from '../../domain/case-model.ts';
import type { AuthEnv } from '../auth.ts';
import { listCasesFor, openNewCase, readCaseFor } from '../case-service.ts';
import type { AppDeps } from '../deps.ts';
import { reporterShownTo, viewForReader } from '../reporter-privacy.ts';
import { callerLanguage, ProblemError } from '../middleware/problems.ts';
import { jsonOnly } from '../middleware/validation.ts';
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
} from '../schemas.ts';
import { bi, JSON_TYPE, jsonResponse, jsonSchemaOf, langParameter, problems } from './declare.ts';

/**
 * /api/cases: open, list and read cases, declared for the document; what
 * opening and listing mean lives in ../case-service.ts, which the web pages
 * call too. The steps are ./case-steps.ts.
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
    zh: '按阶段、楼栋、被指派人、超时、严重程度、来源和开启时间筛选（from 含；to 为日期时含该日全天，按校园时区计；为时刻时不含该时刻），按索引查询，最新在前（超时列表按到期时间）。员工看到指派给本人或由本人负责的案件。limit 默认 20、最多 100；把 nextCursor 作为 cursor 取下一页，筛选条件须与取得它的请求相同（否则 400）。',
    en: 'Filter by stage, building, assignee, overdue, severity, source and open time (from inclusive; a date as to takes in that whole campus day, an instant as to is exclusive), served from indexes, newest first (overdue: by due time). Staff see the cases assigned to them or that they are responsible for. limit defaults to 20, at most 100; pass nextCursor as cursor for the next page, with the same filters as the request that returned it (else 400).',
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
    zh: '进行中的案件来自工作流的实时查询，已结束的来自存档记录（响应头 X-Case-Source）。仅因被指派或担任责任人而能查看本案的员工看不到报告人的联系方式（reporter 不含 email，时间线中以 reporter 代替其编号）；对员工的投诉（source complaint、category staff）也看不到报告人姓名。',
    en: 'A running case comes from its workflow’s query, a finished one from the stored record (header X-Case-Source). Staff who read the case only as its assignee or responsible person get no reporter contact (reporter without email; `reporter` in place of their id in the timeline), and on a complaint about staff (source complaint, category staff) not the reporter’s name either.',
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
    const { view, replayed } = await openNewCase(deps, caller, body, idemKey, lang);
    return c.json(created(view), 201, {
      location: `/api/cases/${view.caseId}`,
      ...(replayed ? { 'idempotent-replayed': 'true' } : {}),
    });
  });

  app.openapi(listCasesRoute, async (c) => {
    const page = await listCasesFor(deps, c.get('caller'), c.req.valid('query'), callerLanguage(c));
    return c.json({ items: page.items.map(summary), nextCursor: page.nextCursor }, 200);
  });

  app.openapi(getCaseRoute, async (c) => {
    const { caseId } = c.req.valid('param');
    const caller = c.get('caller');
    const { view, source, dir } = await readCaseFor(deps, caller, caseId);
    const reportedAt = reportedAtOf(view);
    return c.json(
      {
        // What the case page shows this reader of the reporter, and no more.
        ...viewForReader(view, reporterShownTo(caller, dir, view)),
        ...(reportedAt ? { reportedAt } : {}),
        cited: caseCitation(view),
        clockStatus: clockStatuses(view, Date.now()),
      },
      200,
      { 'x-case-source': source },
    );
  });

  return app;
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
    cited: caseCitation(v),
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
