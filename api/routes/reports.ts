import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { loadDirectory } from '../../store/directory.ts';
import { getDigest, type StoredDigest } from '../../store/digests.ts';
import { periodBounds, tallyForRange } from '../../store/kpi-tallies.ts';
import { isValidIsoWeek, reportedWeek, type AreaSummary } from '../../domain/digest.ts';
import type { Directory } from '../../domain/directory.ts';
import { complaintYearBounds, computeKpis } from '../../domain/kpi.ts';
import { readsEverything, supervisedBuildings } from '../access.ts';
import { authenticate, type AuthEnv, type Caller } from '../auth.ts';
import type { AppDeps } from '../deps.ts';
import { ProblemError, type Lang, type LocalText } from '../problems.ts';
import { queryOf } from '../validate.ts';
import { renderWeeklyReportPage } from './report-page.ts';

export { feedbackActionHandlers } from './feedback-actions.ts';

/**
 * Weekly reports and KPIs. Mount at the root (`app.route('/', reportRoutes(deps))`):
 * paths are absolute and each route authenticates itself.
 *
 * - GET /api/reports/weekly?week=YYYY-Www&buildingId=  the stored summary of a
 *   building, or of the campus (the working group's) without buildingId. JSON by
 *   default; a page with tables and charts for `Accept: text/html` or `?format=html`.
 * - GET /api/kpis?from=&to=&buildingId=  every KPI with its target, value and verdict
 *   over the cases opened in [from, to] (dates are whole campus-local days); the yearly
 *   limit on valid complaints over the calendar year to `to` (its `period`).
 */
const MAX_KPI_DAYS = 400;
const DEFAULT_KPI_DAYS = 28;

const lang = z.enum(['zh-CN', 'en']).optional();
const buildingId = z.string().min(1).max(100).optional();
// The campus calendar covers these years; earlier ones (0000-0099 above all) it cannot place.
const KPI_YEARS = { min: 2000, max: 2100 } as const;
const dateOrInstant = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })])
  .refine(
    (s) => Number(s.slice(0, 4)) >= KPI_YEARS.min && Number(s.slice(0, 4)) <= KPI_YEARS.max,
    `must fall in the years ${KPI_YEARS.min} to ${KPI_YEARS.max}, like 2026-03-02`,
  );

const weeklyQuery = z.strictObject({
  week: z
    .string()
    .refine(isValidIsoWeek, 'week must be an ISO week like 2026-W07 (weeks run 01 to 52 or 53)')
    .optional(),
  buildingId,
  format: z.enum(['json', 'html']).optional(),
  lang,
});

const kpiQuery = z.strictObject({
  from: dateOrInstant.optional(),
  to: dateOrInstant.optional(),
  buildingId,
  lang,
});

export const READERS_TEXT: LocalText = {
  zh: '周报与指标供工作小组、管理员、审计、校领导查看全校，主管查看所管楼栋',
  en: 'reports and KPIs are read campus-wide by the working group, admins, auditors and leadership, and per building by its supervisors',
};

export async function directoryOr503(deps: AppDeps): Promise<Directory> {
  const dir = await loadDirectory(deps.aws.ddb, deps.aws.tables);
  if (!dir) {
    throw new ProblemError('unavailable', {
      zh: '尚未加载校园目录，请管理员先加载目录',
      en: 'no campus directory is loaded yet; an admin must load it first',
    });
  }
  return dir;
}

/**
 * Who may read a building's (or, without one, the campus's) figures; null when
 * allowed, else the rule that refuses. Bearer calls and signed report links
 * (api/report-links.ts) both ask here.
 */
export function reportScopeRefusal(
  caller: Caller,
  dir: Directory,
  building: string | undefined,
): LocalText | null {
  if (readsEverything(caller)) return null;
  const mine = supervisedBuildings(caller, dir);
  if (building !== undefined && mine.includes(building)) return null;
  if (building === undefined && mine.length > 0) {
    return {
      zh: `请加上 buildingId 参数查看所管楼栋（${mine.join('、')}）；全校数据仅供工作小组、管理员、审计、校领导查看`,
      en: `add buildingId= for a building you supervise (${mine.join(', ')}); campus-wide figures are for the working group, admins, auditors and leadership`,
    };
  }
  return READERS_TEXT;
}

function assertScope(caller: Caller, dir: Directory, building: string | undefined): void {
  const refusal = reportScopeRefusal(caller, dir, building);
  if (refusal) throw new ProblemError('forbidden', refusal);
}

export function assertBuilding(dir: Directory, id: string | undefined): void {
  if (id !== undefined && !dir.buildings.some((b) => b.id === id)) {
    throw new ProblemError('not_found', {
      zh: `没有楼栋 ${id}（现有：${dir.buildings.map((b) => b.id).join('、')}）`,
      en: `there is no building ${id} (known: ${dir.buildings.map((b) => b.id).join(', ')})`,
    });
  }
}

/** The stored summary of a week (a building's, or the campus's): what every view of a report reads. */
export async function loadWeeklySummary(
  deps: AppDeps,
  scope: { week: string; buildingId?: string | undefined },
): Promise<AreaSummary> {
  const store = { ddb: deps.aws.ddb, tables: deps.aws.tables };
  const { week, buildingId: id } = scope;
  const stored: StoredDigest<AreaSummary> | null = id
    ? await getDigest<AreaSummary>(store, week, 'building', id)
    : await getDigest<AreaSummary>(store, week, 'working_group', 'campus');
  if (!stored) {
    throw new ProblemError('not_found', {
      zh: `尚无 ${week} 周${id ? `楼栋 ${id} ` : '全校'}的周报：每周反馈在每周一 08:00 生成上一周的周报；请换一周或等待本周运行`,
      en: `no weekly summary for ${week}${id ? ` of building ${id}` : ' (campus)'}: the weekly feedback builds last week's summaries every Monday at 08:00; try another week or wait for the run`,
    });
  }
  return stored.digest;
}

/** The summary as the report page, with the directory's names. */
export function weeklyReportHtml(dir: Directory, s: AreaSummary, lang?: Lang | undefined): string {
  const building = s.buildingId ? dir.buildings.find((b) => b.id === s.buildingId) : undefined;
  return renderWeeklyReportPage(s, {
    title: building?.name ?? { zh: '全校', en: 'Campus' },
    people: new Map(dir.people.map((p) => [p.id, p.name])),
    buildings: new Map(dir.buildings.map((b) => [b.id, b.name])),
    lang,
  });
}

const wantsHtml = (c: Context, format: 'json' | 'html' | undefined) =>
  format === 'html' || (format === undefined && /text\/html/i.test(c.req.header('accept') ?? ''));

/** The reports sub-app. */
export function reportRoutes(deps: AppDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const store = { ddb: deps.aws.ddb, tables: deps.aws.tables };
  const tz = deps.env.CAMPUS_TZ;
  const auth = authenticate(deps);

  app.get('/api/reports/weekly', auth, async (c) => {
    const q = queryOf(c, weeklyQuery);
    const dir = await directoryOr503(deps);
    assertBuilding(dir, q.buildingId);
    assertScope(c.get('caller'), dir, q.buildingId);
    const week = q.week ?? reportedWeek(new Date().toISOString(), tz);
    const s = await loadWeeklySummary(deps, { week, buildingId: q.buildingId });
    if (wantsHtml(c, q.format)) return c.html(weeklyReportHtml(dir, s, q.lang));
    return c.json(s);
  });

  app.get('/api/kpis', auth, async (c) => {
    const q = queryOf(c, kpiQuery);
    const dir = await directoryOr503(deps);
    assertBuilding(dir, q.buildingId);
    assertScope(c.get('caller'), dir, q.buildingId);
    const now = new Date();
    const toRaw = q.to ?? now.toISOString();
    const fromRaw =
      q.from ??
      new Date(Date.parse(periodBounds(toRaw, toRaw, tz).to) - DEFAULT_KPI_DAYS * 86_400_000).toISOString();
    const range = periodBounds(fromRaw, toRaw, tz);
    const days = (Date.parse(range.to) - Date.parse(range.from)) / 86_400_000;
    if (!(days > 0)) {
      throw new ProblemError('validation', { zh: 'from 必须早于 to', en: 'from must be before to' }, [
        { field: 'from', message: `from (${fromRaw}) must be before to (${toRaw})` },
      ]);
    }
    if (days > MAX_KPI_DAYS) {
      throw new ProblemError(
        'validation',
        {
          zh: `时间范围最长 ${MAX_KPI_DAYS} 天，请缩小 from/to`,
          en: `the period may span at most ${MAX_KPI_DAYS} days; narrow from/to`,
        },
        [{ field: 'to', message: `the period spans ${Math.ceil(days)} days` }],
      );
    }
    const year = complaintYearBounds(range.to, tz);
    const [result, ytd] = await Promise.all([
      tallyForRange(store, { ...range, buildingId: q.buildingId, timeZone: tz }),
      year.from === range.from
        ? undefined
        : tallyForRange(store, { ...year, buildingId: q.buildingId, timeZone: tz }),
    ]);
    const yearTally = ytd ?? result;
    const buildings = q.buildingId ? 1 : Math.max(1, dir.buildings.length);
    return c.json({
      from: range.from,
      to: range.to,
      buildingId: q.buildingId ?? null,
      buildings,
      cases: result.tally.cases,
      kpis: computeKpis(result.tally, {
        periodDays: days,
        buildings,
        complaintYear: { ...year, byBuilding: yearTally.tally.validComplaintsByBuilding },
      }),
      source: { weeksFromCounters: result.weeksFromCounters, partsFromIndex: result.partsComputed },
      complaintYear: {
        ...year,
        weeksFromCounters: yearTally.weeksFromCounters,
        partsFromIndex: yearTally.partsComputed,
      },
    });
  });

  return app;
}
