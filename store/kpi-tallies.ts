import { addDays, localDate, localTimeToInstant } from '../domain/calendar.ts';
import { addWeeks, isoWeekOfDate, weekBounds } from '../domain/digest.ts';
import { mergeTallies, tallyCases, type KpiTally } from '../domain/kpi.ts';
import { casesOpenedBetween, saveTally, settledTally, type StoreDeps } from './digests.ts';

export interface RangeTally {
  tally: KpiTally;
  /** Whole weeks read from stored counters. */
  weeksFromCounters: number;
  /** Whole weeks and partial edges read from the cases index. */
  partsComputed: number;
}

/**
 * How long after a week's end its cohort is taken as complete: a case opened in
 * the last moments of the week may reach the index a little later.
 */
export const SETTLE_MARGIN_MS = 3_600_000;

/** Whether a week is over (with the margin), so its cohort can gain no more cases. */
export function weekIsOver(week: string, tz: string, now: Date = new Date()): boolean {
  return Date.parse(weekBounds(week, tz).to) + SETTLE_MARGIN_MS <= now.getTime();
}

/**
 * The KPI tally of cases opened in [from, to). Whole ISO weeks that are over
 * come from the stored per-week counters when they are settled (every case in
 * them closed or withdrawn, so they can no longer change); other weeks and the
 * partial edges are range queries on the cases index, and a week that is over
 * and found settled is stored for next time. A week not yet over is always read
 * from the index, whatever is stored for it. Nothing is scanned.
 */
export async function tallyForRange(
  store: StoreDeps,
  range: { from: string; to: string; buildingId?: string | undefined; timeZone: string },
  now: Date = new Date(),
): Promise<RangeTally> {
  const tz = range.timeZone;
  const fromMs = Date.parse(range.from);
  const toMs = Date.parse(range.to);
  // First whole week: the week of `from`, or the next one if `from` is past its Monday midnight.
  let week = isoWeekOfDate(localDate(range.from, tz));
  if (Date.parse(weekBounds(week, tz).from) < fromMs) week = addWeeks(week, 1);
  const parts: Promise<{ tally: KpiTally; fromCounter: boolean }>[] = [];
  const live = (from: string, to: string) =>
    casesOpenedBetween(store, { from, to, buildingId: range.buildingId }).then((views) => ({
      // Clocks of open cases are judged now; a settled week's are judged at each case's close.
      tally: tallyCases(views, now.getTime()),
      fromCounter: false,
    }));

  let cursor = range.from;
  for (; Date.parse(weekBounds(week, tz).to) <= toMs; week = addWeeks(week, 1)) {
    const b = weekBounds(week, tz);
    if (Date.parse(cursor) < Date.parse(b.from)) parts.push(live(cursor, b.from));
    const w = week;
    if (!weekIsOver(w, tz, now)) {
      // Later cases still join this cohort: a tally stored now would leave them out.
      parts.push(live(b.from, b.to));
    } else {
      parts.push(
        settledTally(store, w, range.buildingId).then(async (stored) => {
          if (stored) return { tally: stored, fromCounter: true };
          const fresh = await live(b.from, b.to);
          if (fresh.tally.open === 0) await saveTally(store, w, range.buildingId, fresh.tally, true);
          return fresh;
        }),
      );
    }
    cursor = b.to;
  }
  if (Date.parse(cursor) < toMs) parts.push(live(cursor, range.to));
  const done = await Promise.all(parts);
  return {
    tally: mergeTallies(done.map((d) => d.tally)),
    weeksFromCounters: done.filter((d) => d.fromCounter).length,
    partsComputed: done.filter((d) => !d.fromCounter).length,
  };
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
