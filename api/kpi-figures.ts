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
import {
  cohortReads,
  tallyForScopes,
  type CohortReads,
  type TallyScope,
} from '../store/kpi-scope-tallies.ts';
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
  deps: Pick<AppDeps, 'aws' | 'env'>,
  dir: Directory,
  range: { from: string; to: string; days: number },
  buildingId: string | undefined,
): Promise<KpiFigures> {
  const [figures] = await kpiFiguresOf(deps, dir, range, [buildingId]);
  return figures!;
}

/**
 * kpiFigures for several scopes at once (the campus and each of its buildings), in the order
 * asked, each the same figures as asked alone: the cases, rounds and duties are read once for
 * all of them and each scope's taken from that read. `cohorts` shares the case reads with the
 * request's other tallies (the weekly trend).
 */
export async function kpiFiguresOf(
  deps: Pick<AppDeps, 'aws' | 'env'>,
  dir: Directory,
  range: { from: string; to: string; days: number },
  scopes: readonly TallyScope[],
  cohorts?: CohortReads,
): Promise<KpiFigures[]> {
  const store = { ddb: deps.aws.ddb, tables: deps.aws.tables };
  const tz = deps.env.CAMPUS_TZ;
  const reads = cohorts ?? cohortReads(store);
  const everyBuilding = dir.buildings.map((b) => b.id);
  // The campus reads every building (in the directory's order), a building alone just its own.
  const campus = new Set(scopes.includes(undefined) ? everyBuilding : []);
  const readIds = [...new Set([...campus, ...scopes.filter((s): s is string => s !== undefined)])];
  const year = complaintYearBounds(range.to, tz);
  const dates = periodDates(range, tz);
  const [results, ytds, rounds, duties] = await Promise.all([
    tallyForScopes(store, { from: range.from, to: range.to, timeZone: tz }, scopes, { cohorts: reads }),
    year.from === range.from
      ? undefined
      : tallyForScopes(store, { ...year, timeZone: tz }, scopes, { cohorts: reads }),
    roundsIn(deps, readIds, dates.from, dates.to),
    // The duty calendar counts by due date: the campus days of [from, to).
    occurrencesDueIn(
      store,
      readIds,
      localDate(range.from, tz),
      localDate(new Date(Date.parse(range.to) - 1).toISOString(), tz),
    ),
  ]);
  // Campus-wide, the yearly complaint limit is per dormitory building (seed 000), not per canteen or gate.
  const dorms = dormitoryIds(dir);
  return scopes.map((buildingId, i) => {
    const result = results[i]!;
    const yearTally = ytds?.[i] ?? result;
    const mine = <T extends { buildingId: string }>(all: T[]) =>
      all.filter((x) => (buildingId ? x.buildingId === buildingId : campus.has(x.buildingId)));
    const scopeRounds = mine(rounds);
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
          inspections: countByDimension(scopeRounds),
        }),
        dutyCompletionKpi(mine(duties)),
      ],
      inspections: scoresByBuilding(scopeRounds),
      buildings,
      source: { weeksFromCounters: result.weeksFromCounters, partsFromIndex: result.partsComputed },
      complaintYear: {
        ...year,
        weeksFromCounters: yearTally.weeksFromCounters,
        partsFromIndex: yearTally.partsComputed,
      },
    };
  });
}
