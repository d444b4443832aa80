// Working time: the hours of the campus's working hours on its working days. An escalation
// of a working-day rule waits this kind of time (a rung due "a working day after the
// breach" does not fall on a Sunday night). Pure: the calendar is passed in.
import { addDays, localDate, localTimeToInstant, parseInstant } from './calendar.ts';
import { DEFAULT_WORKING_HOURS, isWorkingHours, type WorkingHours } from './quiet-hours.ts';

export interface WorkingTimeOptions {
  timeZone: string;
  hours?: WorkingHours | undefined;
  isWorkingDay(date: string): boolean;
}

// Ten years without a working hour can only be a configuration mistake.
const MAX_DAYS = 3660;
const MINUTE_MS = 60_000;

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The length of one working day's working hours, in milliseconds. */
export function workingDayMs(hours: WorkingHours = DEFAULT_WORKING_HOURS): number {
  if (!isWorkingHours(hours)) throw new RangeError(`working hours must be 'HH:mm'-'HH:mm', earlier first`);
  return (minutesOf(hours.to) - minutesOf(hours.from)) * MINUTE_MS;
}

/** One day's working hours as instants (a day that works until 24:00 closes at the next midnight). */
function hoursOf(date: string, hours: WorkingHours, timeZone: string): { open: number; close: number } {
  const open = Date.parse(localTimeToInstant(date, hours.from, timeZone));
  const close =
    hours.to === '24:00'
      ? Date.parse(localTimeToInstant(addDays(date, 1), '00:00', timeZone))
      : Date.parse(localTimeToInstant(date, hours.to, timeZone));
  return { open, close };
}

/**
 * The instant `ms` of working time after `start`. Time outside working hours, and whole
 * days that are not working days, do not count; 0 is `start` itself.
 */
export function addWorkingTime(start: string, ms: number, o: WorkingTimeOptions): string {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`working time must be >= 0 ms, got ${ms}`);
  const hours = o.hours ?? DEFAULT_WORKING_HOURS;
  workingDayMs(hours);
  let cursor = parseInstant(start);
  if (ms === 0) return new Date(cursor).toISOString();
  let remaining = ms;
  let date = localDate(new Date(cursor).toISOString(), o.timeZone);
  for (let i = 0; i < MAX_DAYS; i++, date = addDays(date, 1)) {
    if (!o.isWorkingDay(date)) continue;
    const { open, close } = hoursOf(date, hours, o.timeZone);
    const from = Math.max(cursor, open);
    if (from >= close) continue;
    if (remaining <= close - from) return new Date(from + remaining).toISOString();
    remaining -= close - from;
    cursor = close;
  }
  throw new RangeError(`no working hours within ${MAX_DAYS} days after ${start}`);
}

/**
 * The working time between `from` and `to` (working hours on working days): what a pause that
 * ran over that stretch held of a working-day limit. 0 when `to` is not after `from`.
 */
export function workingTimeBetween(from: string, to: string, o: WorkingTimeOptions): number {
  const hours = o.hours ?? DEFAULT_WORKING_HOURS;
  workingDayMs(hours);
  const start = parseInstant(from);
  const end = parseInstant(to);
  if (end <= start) return 0;
  let total = 0;
  let date = localDate(new Date(start).toISOString(), o.timeZone);
  const last = localDate(new Date(end).toISOString(), o.timeZone);
  for (let i = 0; i < MAX_DAYS; i++, date = addDays(date, 1)) {
    if (o.isWorkingDay(date)) {
      const { open, close } = hoursOf(date, hours, o.timeZone);
      total += Math.max(0, Math.min(close, end) - Math.max(open, start));
    }
    if (date === last) return total;
  }
  throw new RangeError(`more than ${MAX_DAYS} days between ${from} and ${to}`);
}
