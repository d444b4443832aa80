import type { DutyRunInput } from './messages.ts';

/**
 * The duty calendar's Temporal Schedule: every morning at 06:00 campus time
 * (before the 晨会 and the morning standing post) it opens the day's duties,
 * and any month, term, year or pre-break duty whose window holds the day and
 * is not yet running.
 */
export function dutyScheduleSpec(opts: { timeZone?: string | undefined; cron?: string | undefined } = {}) {
  const timeZone = opts.timeZone ?? 'Asia/Shanghai';
  const args: [DutyRunInput] = [{ timeZone }];
  return {
    scheduleId: 'rectify-duties',
    workflowType: 'dutyCalendar',
    cron: opts.cron ?? '0 6 * * *',
    timeZone,
    args,
    // A run only starts occurrences and returns; overlapping runs find them started.
    overlap: 'ALLOW_ALL' as const,
    // A day's duties are still worth opening later that day.
    catchupWindow: '12 hours',
  };
}
