import { ApplicationFailure } from '@temporalio/common';
import { createCalendar } from '../domain/calendar.ts';
import { missingNextYear, missingYearMail } from '../domain/calendar-warning.ts';
import { loadDirectory } from '../store/directory.ts';
import { outboxScope } from '../store/keys.ts';
import { sendOnce } from '../store/outbox.ts';
import type { ActivityDeps } from './index.ts';
import { calendarInForce } from './calendar-in-force.ts';

export interface CalendarWatchInput {
  /** Campus date (YYYY-MM-DD) of the run. */
  date: string;
}

export interface CalendarWatchResult {
  /** The year whose official data is missing, or null when nothing is to be said today. */
  missingYear: number | null;
  sent: number;
}

/** The daily check that next year's official calendar is entered, and the admins' email when it is not. */
export function createCalendarWatchActivities(deps: ActivityDeps) {
  async function warnMissingCalendar(input: CalendarWatchInput): Promise<CalendarWatchResult> {
    // The calendar in force now (a version saved on the admin page counts at once).
    const calendar = createCalendar(await calendarInForce(deps));
    const year = missingNextYear(input.date, (y) => calendar.hasOfficialData(y));
    if (year === null) return { missingYear: null, sent: 0 };
    const dir = await loadDirectory(deps.ddb, deps.tables);
    if (!dir) throw ApplicationFailure.nonRetryable('no campus directory is loaded', 'CalendarNoDirectory');
    let sent = 0;
    for (const admin of dir.people.filter((p) => p.roles.includes('admin'))) {
      // One email per admin and day: a retried or caught-up run sends nothing twice.
      const out = await sendOnce(
        deps,
        { scope: outboxScope.calendar(input.date), key: `missing#${year}#${admin.id}` },
        async () => ({
          to: admin.email,
          ...missingYearMail(admin.language, {
            year,
            date: input.date,
            name: admin.name,
            calendarUrl: `${deps.publicBaseUrl}/app/admin/calendar`,
          }),
        }),
      );
      if (out.status === 'sent') sent += 1;
    }
    return { missingYear: year, sent };
  }
  return { warnMissingCalendar };
}

export type CalendarWatchActivities = ReturnType<typeof createCalendarWatchActivities>;
