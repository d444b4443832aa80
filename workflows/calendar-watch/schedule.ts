import type { CalendarWatchWorkflowInput } from './messages.ts';

/** The daily calendar check's Temporal Schedule: 09:00 campus time every day (it is silent before 1 November). */
export function calendarWatchScheduleSpec(
  opts: { timeZone?: string | undefined; cron?: string | undefined } = {},
) {
  const timeZone = opts.timeZone ?? 'Asia/Shanghai';
  const args: [CalendarWatchWorkflowInput] = [{ config: { timeZone } }];
  return {
    scheduleId: 'rectify-calendar-watch',
    workflowType: 'calendarWatch',
    cron: opts.cron ?? '0 9 * * *',
    timeZone,
    args,
    overlap: 'SKIP' as const,
    // A day's reminder is worth sending later that day, not the next (the next day has its own).
    catchupWindow: '12 hours',
  };
}
