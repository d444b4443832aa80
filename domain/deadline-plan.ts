import { computeDeadline, type Duration, type WorkingCalendar } from './calendar.ts';
import { reminderInstants } from './reminders.ts';
import { type WorkingHours } from './quiet-hours.ts';
import { addWorkingTime, type WorkingTimeOptions } from './working-time.ts';

/** What planning one deadline asks: from when, how long, in which zone, reminders at which fractions. */
export interface PlanDeadlineInput {
  start: string;
  duration: Duration;
  timeZone: string;
  fractions: number[];
}

export interface PlanDeadlineResult {
  due: string;
  approximate: boolean;
  calendarVersion: string;
  reminders: string[];
}

/**
 * A deadline and its reminder instants, counted with `calendar`. Pure: the worker's planner
 * runs it with the calendar in force, a case that pinned its calendar runs it in the workflow.
 */
export function planDeadline(input: PlanDeadlineInput, calendar: WorkingCalendar): PlanDeadlineResult {
  const d = computeDeadline({ start: input.start, duration: input.duration, tz: input.timeZone, calendar });
  return {
    due: d.due,
    approximate: d.approximate,
    calendarVersion: calendar.version,
    reminders: reminderInstants({ start: input.start, due: d.due, fractions: input.fractions }),
  };
}

/** Instants `offsetsMs` of working time after `start` (working hours on `calendar`'s working days). */
export function workingTimeAfter(
  input: { start: string; offsetsMs: readonly number[]; timeZone: string; hours?: WorkingHours | undefined },
  calendar: WorkingCalendar,
): string[] {
  const opts = workingOptions(calendar, input.timeZone, input.hours);
  return input.offsetsMs.map((ms) => addWorkingTime(input.start, ms, opts));
}

/** Working time as `calendar` counts it: its working days, the given hours, in the campus's zone. */
export const workingOptions = (
  calendar: WorkingCalendar,
  timeZone: string,
  hours?: WorkingHours | undefined,
): WorkingTimeOptions => ({ timeZone, hours, isWorkingDay: (d: string) => calendar.isWorkingDay(d) });
