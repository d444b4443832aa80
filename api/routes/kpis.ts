import { createRoute, OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import { z } from 'zod';
import type { Directory } from '../../domain/directory.ts';
import { clockKpis } from '../../domain/kpi.ts';
import { kpiFigures } from '../kpi-figures.ts';
import { DEFAULT_KPI_DAYS, kpiPeriod } from '../kpi-period.ts';
import type { AuthEnv, Caller } from '../auth.ts';
import type { AppDeps } from '../deps.ts';
import { reportScopeRefusal } from '../middleware/access.ts';
import { callerLanguage, ProblemError } from '../middleware/problems.ts';
import { bi, documentResponse, JSON_TYPE, problems } from './declare.ts';
import { assertBuilding, directoryOrFail } from '../reads.ts';
import { boundedDateOrInstant } from '../schemas.ts';

/**
 * GET /api/kpis?from=&to=&buildingId=  every KPI with its target, value and verdict
 * over the cases opened in [from, to] (dates are whole campus-local days; by default the
 * dashboard's period, kpiPeriod); the yearly limit on valid complaints over the calendar
 * year to `to` (its `period`).
 */
const MAX_KPI_DAYS = 400;

const dateOrInstant = boundedDateOrInstant;

const kpiQuery = z.strictObject({
  from: dateOrInstant.optional(),
  to: dateOrInstant.optional(),
  buildingId: z.string().min(1).max(100).optional(),
  lang: z.enum(['zh-CN', 'en']).optional(),
});

export const kpisRoute = createRoute({
  method: 'get',
  path: '/api/kpis',
  operationId: 'kpis',
  tags: ['reports'],
  summary: bi({ zh: '关键指标', en: 'KPIs' }),
  description: bi({
    zh: `[from, to] 内开启案件的各项指标（目标、数值、是否达标；日期按校园当地整日计），以及截至 to 的自然年有效投诉上限；默认为截至今天（校园当地日期，含当天）的最近 ${DEFAULT_KPI_DAYS} 个整日，与看板一致；最长 ${MAX_KPI_DAYS} 天。工作小组、管理员、审计、校领导查看全校，主管查看所管楼栋。`,
    en: `Every KPI with its target, value and verdict over the cases opened in [from, to] (dates are whole campus-local days), and the yearly limit on valid complaints over the calendar year to \`to\`; by default the last ${DEFAULT_KPI_DAYS} whole campus-local days up to and including today, as on the dashboard; at most ${MAX_KPI_DAYS} days. Campus-wide for the working group, admins, auditors and leadership, per building for its supervisors.`,
  }),
  request: { query: kpiQuery },
  responses: {
    200: documentResponse(JSON_TYPE, { zh: '指标', en: 'The KPIs' }),
    ...problems([400, 401, 403, 404, 503], { 404: { zh: '没有该楼栋', en: 'No such building' } }),
  },
});

export const kpiRouteDefinitions: RouteConfig[] = [kpisRoute];

function assertScope(caller: Caller, dir: Directory, building: string | undefined): void {
  const refusal = reportScopeRefusal(caller, dir, building);
  if (refusal) throw new ProblemError('forbidden', refusal);
}

/** /api/kpis. */
export function kpiRoutes(deps: AppDeps): OpenAPIHono<AuthEnv> {
  const app = new OpenAPIHono<AuthEnv>();
  const tz = deps.env.CAMPUS_TZ;

  app.openapi(kpisRoute, async (c) => {
    const q = c.req.valid('query');
    // The dates first: a period given backwards is wrong whoever asks, and saying so is more use
    // than asking a supervisor to add a building to it.
    const { from, to, days } = kpiPeriod(q, tz, new Date());
    const range = { from, to };
    const fromRaw = q.from ?? from;
    const toRaw = q.to ?? to;
    if (!(days > 0)) {
      const lang = callerLanguage(c);
      throw new ProblemError('validation', { zh: 'from 必须早于 to', en: 'from must be before to' }, [
        {
          field: 'from',
          message:
            lang === 'en'
              ? `from (${fromRaw}) must be before to (${toRaw})`
              : `开始 from（${fromRaw}）须早于结束 to（${toRaw}）`,
        },
      ]);
    }
    if (days > MAX_KPI_DAYS) {
      throw new ProblemError(
        'validation',
        {
          zh: `时间范围最长 ${MAX_KPI_DAYS} 天，请缩小 from/to`,
          en: `the period may span at most ${MAX_KPI_DAYS} days; narrow from/to`,
        },
        [
          {
            field: 'to',
            message:
              callerLanguage(c) === 'en'
                ? `the period spans ${Math.ceil(days)} days`
                : `所选时间范围共 ${Math.ceil(days)} 天`,
          },
        ],
      );
    }
    const dir = await directoryOrFail(deps);
    assertBuilding(dir, q.buildingId);
    assertScope(c.get('caller'), dir, q.buildingId);
    const figures = await kpiFigures(deps, dir, { ...range, days }, q.buildingId);
    return c.json(
      {
        from: range.from,
        to: range.to,
        buildingId: q.buildingId ?? null,
        buildings: figures.buildings,
        cases: figures.cases,
        kpis: figures.kpis,
        citedByDimension: figures.tally.citedByDimension ?? {},
        clocks: clockKpis(figures.tally),
        source: figures.source,
        complaintYear: figures.complaintYear,
      },
      200,
    );
  });

  return app;
}
