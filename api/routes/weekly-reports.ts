import { createRoute, OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { z } from 'zod';
import { isValidIsoWeek, reportedWeek, withPlaceNames } from '../../domain/digest.ts';
import type { MarkedSummary } from '../../domain/weekly-marks.ts';
import type { Directory } from '../../domain/directory.ts';
import type { Lang } from '../../domain/text.ts';
import type { AuthEnv } from '../auth.ts';
import type { AppDeps } from '../deps.ts';
import { reportScopeRefusal } from '../middleware/access.ts';
import { ProblemError } from '../middleware/problems.ts';
import { bi, documentResponse, JSON_TYPE, problems } from './declare.ts';
import { renderWeeklyReportPage, type ReportPageNames } from '../pages/weekly-report.tsx';
import { assertBuilding, directoryOrFail, loadWeeklySummary } from '../reads.ts';

/**
 * GET /api/reports/weekly?week=YYYY-Www&buildingId=  the stored summary of a
 * building, or of the campus (the working group's) without buildingId. JSON by
 * default; a page with tables and charts for `Accept: text/html` or `?format=html`.
 */
const weeklyQuery = z.strictObject({
  week: z
    .string()
    .refine(
      isValidIsoWeek,
      '须为 ISO 周，如 2026-W07（周数为 01 至 52 或 53） / week must be an ISO week like 2026-W07 (weeks run 01 to 52 or 53)',
    )
    .optional(),
  buildingId: z.string().min(1).max(100).optional(),
  format: z.enum(['json', 'html']).optional(),
  lang: z.enum(['zh-CN', 'en']).optional(),
});

export const weeklyReportRoute = createRoute({
  method: 'get',
  path: '/api/reports/weekly',
  operationId: 'weeklyReport',
  tags: ['reports'],
  summary: bi({ zh: '周报', en: 'The weekly summary' }),
  description: bi({
    zh: '某周（默认上一周）一栋楼的周报，不带 buildingId 为全校周报。默认 JSON；Accept: text/html 或 ?format=html 时为带表格和图表的页面。feedback 为此后的确认情况：acknowledgements 为 byStaff 中每位员工确认反馈的时间（未确认为 null），followUps 为本楼（全校）每项院系跟进的处理时间、处理人和跟进情况（未处理为 null）。工作小组、管理员、审计、校领导查看全校，主管查看所管楼栋。',
    en: 'The stored summary of a week (last week by default) for a building, or for the campus without buildingId. JSON by default; a page with tables and charts for Accept: text/html or ?format=html. `feedback` is what was done with it since: `acknowledgements` gives when each staff member of `byStaff` acknowledged their digest (null while not), `followUps` each department follow-up of the building (or campus) with when, by whom and the note it was marked handled with (null while open). Campus-wide for the working group, admins, auditors and leadership, per building for its supervisors.',
  }),
  request: { query: weeklyQuery },
  responses: {
    200: documentResponse([JSON_TYPE, 'text/html'], { zh: '周报', en: 'The summary' }),
    ...problems([400, 401, 403, 404, 503], {
      404: { zh: '没有该楼栋或该周的周报', en: 'No such building, or no summary for the week' },
    }),
  },
});

export const weeklyReportRouteDefinitions: RouteConfig[] = [weeklyReportRoute];

/** The summary as the report page, with the directory's names. */
export function weeklyReportHtml(
  dir: Directory,
  s: MarkedSummary,
  lang?: Lang | undefined,
  back?: ReportPageNames['back'],
  timeZone?: string | undefined,
): string {
  const building = s.buildingId ? dir.buildings.find((b) => b.id === s.buildingId) : undefined;
  return renderWeeklyReportPage(withPlaceNames(s, dir), {
    title: building?.name ?? { zh: '全校', en: 'Campus' },
    people: new Map(dir.people.map((p) => [p.id, p.name])),
    buildings: new Map(dir.buildings.map((b) => [b.id, b.name])),
    lang,
    back,
    timeZone,
  });
}

const wantsHtml = (c: Context, format: 'json' | 'html' | undefined) =>
  format === 'html' || (format === undefined && /text\/html/i.test(c.req.header('accept') ?? ''));

/** /api/reports/weekly. */
export function weeklyReportRoutes(deps: AppDeps): OpenAPIHono<AuthEnv> {
  const app = new OpenAPIHono<AuthEnv>();
  app.openapi(weeklyReportRoute, async (c) => {
    const q = c.req.valid('query');
    const dir = await directoryOrFail(deps);
    assertBuilding(dir, q.buildingId);
    const refusal = reportScopeRefusal(c.get('caller'), dir, q.buildingId);
    if (refusal) throw new ProblemError('forbidden', refusal);
    const week = q.week ?? reportedWeek(new Date().toISOString(), deps.env.CAMPUS_TZ);
    const s = await loadWeeklySummary(deps, { week, buildingId: q.buildingId });
    if (wantsHtml(c, q.format))
      return c.html(weeklyReportHtml(dir, s, q.lang, undefined, deps.env.CAMPUS_TZ));
    return c.json(s, 200);
  });
  return app;
}
