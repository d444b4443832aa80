import type { CalendarOverrides } from '../domain/calendar.ts';
import type { ActivityDeps } from './index.ts';

/** The school's calendar in force now (the newest saved version, else the file): what a new case pins. */
export async function calendarInForce(
  deps: Pick<ActivityDeps, 'currentCalendar' | 'calendarOverrides'>,
): Promise<CalendarOverrides> {
  return deps.currentCalendar ? (await deps.currentCalendar()).overrides : (deps.calendarOverrides ?? {});
}
