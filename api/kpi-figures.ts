import { localDate } from '../domain/calendar.ts';
import { countsOf, dormitoryIds, type Directory } from '../domain/directory.ts';
import { dutyCompletionKpi } from '../domain/duty-kpi.ts';
import {
  countByDimension,
  scoresByBuilding,
  type BuildingDimensionScore,
} from '../domain/inspection-scores.ts';
import { complaintYearBounds, computeKpis, type KpiTally, type KpiValue } from '../domain/kpi.ts';
import { occurrencesDueIn } from '../store/duties.ts';
import { tallyForRange } from '../store/kpi-tallies.ts';
import type { AppDeps } from './deps.ts';
import { periodDates, roundsIn } from './inspection-reads.ts';

export interface KpiFigures {
  cases: number;
  /** Every KPI of the catalogue with its verdict, then the duty calendar's completion rate. */
  kpis: KpiValue[];
  tally: KpiTally;
  /** Inspection pass counts per building and dimension over the period's completed rounds. */
  inspections: BuildingDimensionScore[];
  buildings: number;
  /** Where the figures came from (stored weekly counters, parts computed from the index). */
  source: { weeksFromCounters: number; partsFromIndex: number };
  complaintYear: { from: string; to: string; weeksFromCounters: number; partsFromIndex: number };
}

/**
 * Every KPI over a period [from, to), for one building or the campus: cohort tallies of the
 * cases opened in the period, the yearly complaint limit over the calendar year to date, the
 * period's completed inspection rounds, and the duties due in it. What `GET /api/kpis` answers
 * and the dashboard shows, read one way.
 */
export async function kpiFigures(
  deps: AppDeps,
  dir: Directory,
  range: { from: string; to: string; days: number },
  buildingId: string | undefined,
): Promise<KpiFigures> {
  const store = { ddb: deps.aws.ddb, tables: deps.aws.tables };
  const tz = deps.env.CAMPUS_TZ;
  const buildingIds = buildingId ? [buildingId] : dir.buildings.map((b) => b.id);
  const year = complaintYearBounds(range.to, tz);
  const dates = periodDates(range, tz);
  const [result, ytd, rounds, duties] = await Promise.all([
    tallyForRange(store, { from: range.from, to: range.to, buildingId, timeZone: tz }),
    year.from === range.from ? undefined : tallyForRange(store, { ...year, buildingId, timeZone: tz }),
    roundsIn(deps, buildingIds, dates.from, dates.to),
    // The duty calendar counts by due date: the campus days of [from, to).
    occurrencesDueIn(
      store,
      buildingIds,
      localDate(range.from, tz),
      localDate(new Date(Date.parse(range.to) - 1).toISOString(), tz),
    ),
  ]);
  const yearTally = ytd ?? result;
  // Campus-wide, the yearly complaint limit is per dormitory building (seed 000), not per canteen or gate.
  const dorms = dormitoryIds(dir);
  const buildings = buildingId ? 1 : Math.max(1, dorms.length);
  const byBuilding = yearTally.tally.validComplaintsByBuilding;
  return {
    cases: result.tally.cases,
    tally: result.tally,
    kpis: [
      ...computeKpis(result.tally, {
        periodDays: range.days,
        buildings,
        complaintYear: { ...year, byBuilding: buildingId ? byBuilding : countsOf(byBuilding, dorms) },
        inspections: countByDimension(rounds),
      }),
      dutyCompletionKpi(duties),
    ],
    inspections: scoresByBuilding(rounds),
    buildings,
    source: { weeksFromCounters: result.weeksFromCounters, partsFromIndex: result.partsComputed },
    complaintYear: {
      ...year,
      weeksFromCounters: yearTally.weeksFromCounters,
      partsFromIndex: yearTally.partsComputed,
    },
  };
}
