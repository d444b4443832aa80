import type { ZeroNightInput } from './messages.ts';

/** The nightly zero report's Temporal Schedule: 22:20 campus time, when reporting opens (seed 001). */
export function zeroReportScheduleSpec(
  opts: { timeZone?: string | undefined; cron?: string | undefined } = {},
) {
  const timeZone = opts.timeZone ?? 'Asia/Shanghai';
  const args: [ZeroNightInput] = [{ config: { timeZone } }];
  return {
    scheduleId: 'rectify-zero-report',
    workflowType: 'zeroReportNight',
    cron: opts.cron ?? '20 22 * * *',
    timeZone,
    args,
    // Each night is its own run; one still taking late reports must not block the next.
    overlap: 'ALLOW_ALL' as const,
    // A night's report is only worth asking for that night.
    catchupWindow: '20 minutes',
  };
}
