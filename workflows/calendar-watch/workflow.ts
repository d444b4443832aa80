import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ApplicationFailure, patched, proxyActivities, startChild, workflowInfo } from '@temporalio/workflow';
import { calendarBroadcast, calendarBroadcastId } from '../calendar-broadcast/workflow.ts';
import type { CalendarBroadcastActivities } from '../../activities/calendar-broadcast.ts';
import type { CalendarWatchActivities } from '../../activities/calendar-watch.ts';
import { isValidDate, localDate } from '../../domain/calendar.ts';
import { scheduledStart } from '../schedule-time.ts';
import { CalendarWatchFailure, type CalendarWatchWorkflowInput } from './messages.ts';

const acts = proxyActivities<CalendarWatchActivities & CalendarBroadcastActivities>({
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
  const warned = await acts.warnMissingCalendar({ date });
  // Running cases are told of a saved calendar from the page; this catches a save whose telling
  // never started or failed. Runs before the patch did not.
  if (patched(CALENDAR_BROADCAST_CATCH_UP_PATCH)) await tellRunningCases();
  return { date, ...warned };
}

/** patched() id: the daily check also starts the newest saved calendar's broadcast if it never ran. */
export const CALENDAR_BROADCAST_CATCH_UP_PATCH = 'calendar-broadcast-catch-up';

/**
 * The newest saved version's broadcast, started unless it is under way or done (one that failed
 * or was cut short is started again); it runs on after this check ends.
 */
async function tellRunningCases(): Promise<void> {
  const newest = await acts.newestCalendarVersion();
  if (!newest) return;
  try {
    await startChild(calendarBroadcast, {
      workflowId: calendarBroadcastId(workflowInfo().taskQueue, newest.version),
      args: [newest],
      parentClosePolicy: 'ABANDON',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}
