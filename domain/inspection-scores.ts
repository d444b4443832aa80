import type { InspectionRound } from './inspection.ts';
import { dimensionKeys, type DimensionKey } from './standards/catalogue.ts';

/**
 * Inspection scores (seed 000's six dimensions, checked in the rounds of seeds
 * 002 and 004) summed over many rounds: per building and dimension for the
 * dashboard and the weekly reports, per week for their trends, and per
 * dimension for the KPIs. Only completed rounds count: an open round's results
 * may still change, a missed one was never finished. Pure: no I/O.
 */
export interface PassCount {
  passed: number;
  failed: number;
  na: number;
}

/** Passed over passed + failed, as a ratio (0..1) rounded to 4 places; null when nothing applicable was checked. */
export const passRate = (c: Pick<PassCount, 'passed' | 'failed'>): number | null =>
  c.passed + c.failed === 0 ? null : Math.round((c.passed / (c.passed + c.failed)) * 10_000) / 10_000;

const add = (a: PassCount, b: Pick<PassCount, 'passed' | 'failed' | 'na'>): PassCount => ({
  passed: a.passed + b.passed,
  failed: a.failed + b.failed,
  na: a.na + b.na,
});
const zero = (): PassCount => ({ passed: 0, failed: 0, na: 0 });
const completed = (rounds: readonly InspectionRound[]) => rounds.filter((r) => r.status === 'completed');

/** Items passed, failed and not applicable per dimension, over every completed round given. */
export function countByDimension(
  rounds: readonly InspectionRound[],
): Partial<Record<DimensionKey, PassCount>> {
  const out: Partial<Record<DimensionKey, PassCount>> = {};
  for (const r of completed(rounds))
    for (const s of r.scores) out[s.dimension] = add(out[s.dimension] ?? zero(), s);
  return out;
}

export interface BuildingDimensionScore extends PassCount {
  buildingId: string;
  dimension: DimensionKey;
  rate: number | null;
}

/** One row per building and dimension that any completed round checked, buildings sorted. */
export function scoresByBuilding(rounds: readonly InspectionRound[]): BuildingDimensionScore[] {
  const out: BuildingDimensionScore[] = [];
  for (const buildingId of [...new Set(rounds.map((r) => r.buildingId))].sort()) {
    const counts = countByDimension(rounds.filter((r) => r.buildingId === buildingId));
    for (const dimension of dimensionKeys) {
      const c = counts[dimension];
      if (c) out.push({ buildingId, dimension, ...c, rate: passRate(c) });
    }
  }
  return out;
}

export interface WeekDimensionPoint {
  week: string;
  /** Pass rate per dimension in the rounds whose period starts in that week (null: nothing checked). */
  rates: Record<DimensionKey, number | null>;
}

/**
 * The pass rate per dimension for each of `weeks` (ISO weeks, oldest first): a round counts
 * in the week its period starts (`weekOf` its first date; a monthly evaluation in the week
 * of the 1st).
 */
export function weeklyDimensionTrend(
  rounds: readonly InspectionRound[],
  weeks: readonly string[],
  weekOf: (date: string) => string,
): WeekDimensionPoint[] {
  return weeks.map((week) => {
    const counts = countByDimension(rounds.filter((r) => weekOf(r.from) === week));
    const rates = Object.fromEntries(
      dimensionKeys.map((d) => [d, counts[d] ? passRate(counts[d]) : null]),
    ) as Record<DimensionKey, number | null>;
    return { week, rates };
  });
}
