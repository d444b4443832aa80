import { addDays, localTimeToInstant } from '../domain/calendar.ts';
import type { StoreDeps } from './digests.ts';
import { tallyForScopes, type RangeTally } from './kpi-scope-tallies.ts';

/**
 * The KPI tally of cases opened in [from, to), for one building or (without one) the campus. Whole
 * ISO weeks that are over come from the stored per-week counters when they are settled (every case
 * in them closed or withdrawn, so they can no longer change); other weeks and the partial edges are
 * range queries on the cases index, and a week that is over and found settled is stored for next
 * time. A week not yet over is always read from the index, whatever is stored for it. Nothing is
 * scanned.
 */
export async function tallyForRange(
  store: StoreDeps,
  range: { from: string; to: string; buildingId?: string | undefined; timeZone: string },
  now: Date = new Date(),
): Promise<RangeTally> {
  const { buildingId, ...span } = range;
  const [one] = await tallyForScopes(store, span, [buildingId], { now });
  return one!;
}

/**
 * Instant bounds [from, to) of a period given as ISO dates or instants: a bare
 * date means that whole day on the campus clock, so `to=2026-03-31` includes
 * the 31st; an instant is taken as given.
 */
export function periodBounds(from: string, to: string, tz: string): { from: string; to: string } {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/;
  return {
    from: dateOnly.test(from) ? localTimeToInstant(from, '00:00', tz) : new Date(from).toISOString(),
    to: dateOnly.test(to) ? localTimeToInstant(addDays(to, 1), '00:00', tz) : new Date(to).toISOString(),
  };
}
