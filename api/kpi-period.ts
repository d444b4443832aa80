import { addDays, localDate } from '../domain/calendar.ts';
import { periodBounds } from '../store/kpi-tallies.ts';

/**
 * The period the KPIs are read over, one reading for `GET /api/kpis` and the
 * dashboard, so the two agree at the edges: whole campus-local days, by default
 * the last DEFAULT_KPI_DAYS days up to and including today.
 */

export const DEFAULT_KPI_DAYS = 28;

export interface KpiPeriod {
  /** Campus-local dates, inclusive, as typed in the form (the dates the instants fall on, if instants were sent). */
  fromDate: string;
  toDate: string;
  /** The same period as instants [from, to). */
  from: string;
  to: string;
  days: number;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** The campus date whose day a `to` bound closes: an instant is an exclusive end, so its last moment counts. */
function lastDate(to: string, tz: string): string {
  return DATE_ONLY.test(to) ? to : localDate(new Date(Date.parse(to) - 1).toISOString(), tz);
}

/**
 * [from, to] as asked (dates or instants); a missing `to` is today (campus-local),
 * a missing `from` starts the campus day DEFAULT_KPI_DAYS − 1 days before the last day of `to`.
 */
export function kpiPeriod(
  q: { from?: string | undefined; to?: string | undefined },
  tz: string,
  now: Date,
): KpiPeriod {
  const to = q.to ?? localDate(now.toISOString(), tz);
  const toDate = lastDate(to, tz);
  const from = q.from ?? addDays(toDate, -(DEFAULT_KPI_DAYS - 1));
  const fromDate = DATE_ONLY.test(from) ? from : localDate(new Date(from).toISOString(), tz);
  const range = periodBounds(from, to, tz);
  return { fromDate, toDate, ...range, days: (Date.parse(range.to) - Date.parse(range.from)) / 86_400_000 };
}
