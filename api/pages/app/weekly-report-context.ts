import type { Directory } from '../../../domain/directory.ts';
import { nextWeeklyBuild } from '../../../domain/weekly-build.ts';
import { campusReportWeeks, firstReportWeek } from '../../../store/first-report-week.ts';
import type { AppDeps } from '../../deps.ts';
import type { WeeklyReportRef } from './dashboard-data.ts';
import type { MissingReportContext } from './weekly-report-list.tsx';

/**
 * What tells why a week of `reports` (and the weeks `asked`) has no report of the place: the
 * system's first report (its first campus tally, or the earliest report listed when that is
 * earlier, as in a store without tallies), and, for a public area, which of those weeks the
 * campus report was built (then the place had no cases that week).
 */
export async function missingReportContext(
  deps: AppDeps,
  dir: Directory,
  buildingId: string | undefined,
  reports: readonly WeeklyReportRef[],
  asked: readonly string[] = [],
  now: Date = new Date(),
): Promise<MissingReportContext> {
  const store = { ddb: deps.aws.ddb, tables: deps.aws.tables };
  const publicArea =
    buildingId !== undefined && dir.buildings.find((b) => b.id === buildingId)?.kind === 'public_area';
  const missing = [...new Set([...reports.filter((r) => !r.stored).map((r) => r.week), ...asked])];
  const [first, campusWeeks] = await Promise.all([
    firstReportWeek(store),
    publicArea ? campusReportWeeks(store, missing) : Promise.resolve(new Set<string>()),
  ]);
  const known = [first, ...reports.filter((r) => r.stored).map((r) => r.week), ...campusWeeks].filter(
    (w): w is string => w !== null,
  );
  return {
    firstWeek: known.length ? known.reduce((a, b) => (b < a ? b : a)) : null,
    publicArea,
    campusWeeks,
    // The schedule the worker runs (WEEKLY_FEEDBACK_CRON when the deployment moves it), not the default.
    nextBuild: nextWeeklyBuild(now.toISOString(), deps.env.CAMPUS_TZ, deps.env.WEEKLY_FEEDBACK_CRON),
  };
}
