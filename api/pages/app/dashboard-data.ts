import { getDigest } from '../../../store/digests.ts';
import { casesOpenedBetween } from '../../../store/digests.ts';
import { tallyForScopes, type CohortReads } from '../../../store/kpi-scope-tallies.ts';
import { listCases } from '../../../store/case-lists.ts';
import { addDays, localDate } from '../../../domain/calendar.ts';
import type { CaseView, DeadlineView } from '../../../domain/case-model.ts';
import {
  addWeeks,
  isoWeekOf,
  isoWeekOfDate,
  reportedWeek,
  weekBounds,
  weekMonday,
} from '../../../domain/digest.ts';
import type { AreaSummary } from '../../../domain/digest.ts';
import { onTimeStages } from '../../../domain/kpi.ts';
import { weeklyDimensionTrend, type WeekDimensionPoint } from '../../../domain/inspection-scores.ts';
import type { AppDeps } from '../../deps.ts';
import { roundsIn } from '../../inspection-reads.ts';
export { kpiFigures, kpiFiguresOf, type KpiFigures } from '../../kpi-figures.ts';
// The KPI route reads the same default period: one function for both.
export { kpiPeriod as dashboardPeriod, type KpiPeriod } from '../../kpi-period.ts';

/**
 * What the dashboard shows, read the way the KPI route (`GET /api/kpis`) reads
 * it: cohort tallies of the cases opened in the period from tallyForRange, the
 * yearly complaint limit over the calendar year to date, computeKpis for the
 * verdicts. Nothing is scanned: overdue cases come from the overdue index and
 * breaches from the period's cohort.
 */

/** The longest period the dashboard accepts, as the KPI route does. */
export const MAX_DASHBOARD_DAYS = 400;
/** Weeks drawn in the trend charts and listed as weekly reports. */
export const TREND_WEEKS = 8;

/** Pass rate per dimension over the last TREND_WEEKS weeks up to the one `toInstant` falls in. */
export async function inspectionTrend(
  deps: AppDeps,
  buildingIds: readonly string[],
  toInstant: string,
): Promise<WeekDimensionPoint[]> {
  const tz = deps.env.CAMPUS_TZ;
  const last = isoWeekOf(new Date(Date.parse(toInstant) - 1).toISOString(), tz);
  const weeks = Array.from({ length: TREND_WEEKS }, (_, i) => addWeeks(last, i - (TREND_WEEKS - 1)));
  const rounds = await roundsIn(
    deps,
    buildingIds,
    weekMonday(weeks[0] ?? last),
    addDays(weekMonday(last), 6),
  );
  return weeklyDimensionTrend(rounds, weeks, isoWeekOfDate);
}

export interface WeekPoint {
  week: string;
  /** Every stage deadline resolved in the week's cohort, met over met + breached. */
  onTime: number | null;
  satisfaction: number | null;
  cases: number;
}

const rate = (num: number, den: number) => (den === 0 ? null : Math.round((num / den) * 10_000) / 10_000);

/** The last TREND_WEEKS ISO weeks up to the one `to` falls in, each week's cohort on its own. */
export async function weeklyTrend(
  deps: AppDeps,
  toInstant: string,
  buildingId: string | undefined,
  cohorts?: CohortReads,
): Promise<WeekPoint[]> {
  const store = { ddb: deps.aws.ddb, tables: deps.aws.tables };
  const tz = deps.env.CAMPUS_TZ;
  const last = isoWeekOf(new Date(Date.parse(toInstant) - 1).toISOString(), tz);
  const weeks = Array.from({ length: TREND_WEEKS }, (_, i) => addWeeks(last, i - (TREND_WEEKS - 1)));
  return Promise.all(
    weeks.map(async (week) => {
      const b = weekBounds(week, tz);
      const [scoped] = await tallyForScopes(store, { ...b, timeZone: tz }, [buildingId], { cohorts });
      const { tally } = scoped!;
      const num = onTimeStages.reduce((a, s) => a + tally.onTime[s].num, 0);
      const den = onTimeStages.reduce((a, s) => a + tally.onTime[s].den, 0);
      return {
        week,
        onTime: rate(num, den),
        satisfaction: rate(tally.overallSatisfaction.num, tally.overallSatisfaction.den),
        cases: tally.cases,
      };
    }),
  );
}

export interface Breach {
  view: CaseView;
  deadline: DeadlineView;
}

/** Deadlines breached among the cases opened in the period, newest breach first. */
export async function breachesIn(
  deps: AppDeps,
  range: { from: string; to: string },
  buildingIds: readonly string[] | undefined,
  limit = 50,
): Promise<{ items: Breach[]; total: number }> {
  const store = { ddb: deps.aws.ddb, tables: deps.aws.tables };
  const views = buildingIds
    ? (
        await Promise.all(
          buildingIds.map((b) =>
            casesOpenedBetween(store, { from: range.from, to: range.to, buildingId: b }),
          ),
        )
      ).flat()
    : await casesOpenedBetween(store, range);
  const all: Breach[] = [];
  for (const view of views)
    for (const deadline of view.deadlines) if (deadline.state === 'breached') all.push({ view, deadline });
  all.sort((a, b) =>
    (b.deadline.breachedAt ?? b.deadline.due).localeCompare(a.deadline.breachedAt ?? a.deadline.due),
  );
  return { items: all.slice(0, limit), total: all.length };
}

/** Cases overdue now (the overdue index, longest overdue first), within the buildings when given. */
export async function overdueNow(
  deps: AppDeps,
  buildingIds: readonly string[] | undefined,
  limit = 50,
): Promise<{ items: CaseView[]; more: boolean }> {
  const page = await listCases(deps.aws.ddb, deps.aws.tables, {
    filters: {
      overdue: true,
      ...(buildingIds?.length === 1 ? { buildingId: buildingIds[0] } : {}),
      ...(buildingIds && buildingIds.length > 1 ? { buildingIn: [...buildingIds] } : {}),
    },
    limit,
  });
  return { items: page.items, more: page.nextCursor !== null };
}

export interface WeeklyReportRef {
  week: string;
  from: string;
  /** Whether the weekly feedback stored a summary for that week and scope. */
  stored: boolean;
  summary: AreaSummary | null;
}

/** The last TREND_WEEKS reported weeks, newest first, with whether each one's summary exists. */
export async function weeklyReports(
  deps: AppDeps,
  buildingId: string | undefined,
  now: Date,
): Promise<WeeklyReportRef[]> {
  const store = { ddb: deps.aws.ddb, tables: deps.aws.tables };
  const tz = deps.env.CAMPUS_TZ;
  const newest = reportedWeek(now.toISOString(), tz);
  const weeks = Array.from({ length: TREND_WEEKS }, (_, i) => addWeeks(newest, -i));
  return Promise.all(
    weeks.map(async (week) => {
      const stored = buildingId
        ? await getDigest<AreaSummary>(store, week, 'building', buildingId)
        : await getDigest<AreaSummary>(store, week, 'working_group', 'campus');
      return {
        week,
        from: localDate(weekBounds(week, tz).from, tz),
        stored: stored !== null,
        summary: stored?.digest ?? null,
      };
    }),
  );
}
