import { ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { CalendarWatchActivities } from '../../activities/calendar-watch.ts';
import { isValidDate, localDate } from '../../domain/calendar.ts';
import { scheduledStart } from '../schedule-time.ts';
import { CalendarWatchFailure, type CalendarWatchWorkflowInput } from './messages.ts';

const acts = proxyActivities<CalendarWatchActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { maximumAttempts: 10, nonRetryableErrorTypes: ['CalendarNoDirectory'] },
});

/**
 * The daily calendar check (a Temporal Schedule, every morning): from 1
 * November, while next year's official holiday arrangement is not in the
 * calendar, every admin is emailed once a day. The decision is the activity's,
 * over the calendar in force at that moment.
 */
export async function calendarWatch(
  input: CalendarWatchWorkflowInput = {},
): Promise<{ date: string; missingYear: number | null; sent: number }> {
  const timeZone = input.config?.timeZone ?? 'Asia/Shanghai';
  const date = input.date ?? localDate(scheduledStart(), timeZone);
  if (!isValidDate(date))
    throw ApplicationFailure.nonRetryable(
      `date ${date} is not a calendar date like 2026-11-01`,
      CalendarWatchFailure.InvalidDate,
    );
  return { date, ...(await acts.warnMissingCalendar({ date })) };
}
