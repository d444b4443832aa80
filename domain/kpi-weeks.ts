import { localDate } from './calendar.ts';
import { addWeeks, isoWeekOfDate, weekBounds } from './digest.ts';

/**
 * How long after a week's end its cohort is taken as complete: a case opened in
 * the last moments of the week may reach the index a little later.
 */
export const SETTLE_MARGIN_MS = 3_600_000;

/** Whether a week is over (with the margin), so its cohort can gain no more cases. */
export function weekIsOver(week: string, tz: string, now: Date = new Date()): boolean {
  return Date.parse(weekBounds(week, tz).to) + SETTLE_MARGIN_MS <= now.getTime();
}

/** One part of a range: a whole ISO week that is over (`week`), or a span read from the index. */
export interface RangePart {
  from: string;
  to: string;
  week?: string | undefined;
}

/**
 * [from, to) cut into whole ISO weeks and the partial edges around them, in order and without gaps.
 * A whole week that is over names its week: its tally may come from the stored counters. A week not
 * yet over never does: later cases still join its cohort.
 */
export function rangeParts(range: { from: string; to: string; timeZone: string }, now: Date): RangePart[] {
  const tz = range.timeZone;
  const toMs = Date.parse(range.to);
  // First whole week: the week of `from`, or the next one if `from` is past its Monday midnight.
  let week = isoWeekOfDate(localDate(range.from, tz));
  if (Date.parse(weekBounds(week, tz).from) < Date.parse(range.from)) week = addWeeks(week, 1);
  const parts: RangePart[] = [];
  let cursor = range.from;
  for (; Date.parse(weekBounds(week, tz).to) <= toMs; week = addWeeks(week, 1)) {
    const b = weekBounds(week, tz);
    if (Date.parse(cursor) < Date.parse(b.from)) parts.push({ from: cursor, to: b.from });
    parts.push({ ...b, week: weekIsOver(week, tz, now) ? week : undefined });
    cursor = b.to;
  }
  if (Date.parse(cursor) < toMs) parts.push({ from: cursor, to: range.to });
  return parts;
}
