// When a reminder or an escalation may go out: campus working hours, so nobody is woken
// by a routine email at 00:30. Pure: the case workflow schedules its timers with it.
import { addDays, localDate, localTime, localTimeToInstant, parseInstant } from './calendar.ts';
import type { Severity } from './sla.ts';

/**
 * A daily window of campus-local wall-clock times, 'HH:mm', `from` before `to`; `to` is
 * excluded and may be '24:00' (the end of the day): '00:00'-'24:00' holds nothing back.
 */
export interface WorkingHours {
  from: string;
  to: string;
}

export const DEFAULT_WORKING_HOURS: Readonly<WorkingHours> = { from: '08:00', to: '20:00' };

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Whether a window is well formed: two 'HH:mm' times, the first earlier. */
export const isWorkingHours = (h: WorkingHours): boolean =>
  HHMM.test(h.from) && (HHMM.test(h.to) || h.to === '24:00') && h.from < h.to;

export interface QuietOptions {
  timeZone: string;
  hours?: WorkingHours | undefined;
}

/**
 * When a notice due at `instant` goes out: at once within working hours, else at the
 * start of the next working hours. The first notice of an urgent or major case is never
 * held: it is about life, safety or leadership, and cannot wait for the morning.
 */
export function nextNotifyTime(
  instant: string,
  severity: Severity,
  first: boolean,
  opts: QuietOptions,
): string {
  const hours = opts.hours ?? DEFAULT_WORKING_HOURS;
  if (!isWorkingHours(hours)) throw new RangeError(`working hours must be 'HH:mm'-'HH:mm', earlier first`);
  const at = new Date(parseInstant(instant)).toISOString();
  if (first && severity !== 'routine') return at;
  const time = localTime(at, opts.timeZone);
  if (hours.from <= time && time < hours.to) return at;
  const today = localDate(at, opts.timeZone);
  return localTimeToInstant(time < hours.from ? today : addDays(today, 1), hours.from, opts.timeZone);
}

/**
 * The instants of an escalation's rungs, each `afterBreachMs` after the breach, held to
 * working hours. A held rung moves the later ones with it, so they keep their spacing
 * instead of all going out together at the start of the day. Rungs due at the breach
 * itself are the case's first escalation notice.
 */
export function escalationInstants(
  breachedAt: string,
  steps: readonly { afterBreachMs: number }[],
  severity: Severity,
  opts: QuietOptions,
): string[] {
  const out: string[] = [];
  let prevPlanned = parseInstant(breachedAt);
  let prevSent = prevPlanned;
  for (const s of steps) {
    const planned = parseInstant(breachedAt) + s.afterBreachMs;
    const wanted = new Date(prevSent + (planned - prevPlanned)).toISOString();
    const at = nextNotifyTime(wanted, severity, s.afterBreachMs === 0, opts);
    out.push(at);
    prevPlanned = planned;
    prevSent = Date.parse(at);
  }
  return out;
}

/**
 * A stage's reminders held to working hours: each with its index in the plan (its email
 * key). The stage's first reminder is its first notice. A reminder held until the
 * deadline or later is dropped (the breach and its escalation take over), and one held
 * to the same instant as the one before it is not sent twice.
 */
export function reminderTimes(
  reminders: readonly string[],
  due: string,
  severity: Severity,
  opts: QuietOptions,
): { index: number; at: string }[] {
  const dueMs = parseInstant(due);
  const out: { index: number; at: string }[] = [];
  reminders.forEach((r, index) => {
    const at = nextNotifyTime(r, severity, index === 0, opts);
    if (Date.parse(at) >= dueMs) return;
    if (out.at(-1)?.at === at) return;
    out.push({ index, at });
  });
  return out;
}
