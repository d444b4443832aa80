import type { WorkingHours } from '../../domain/quiet-hours.ts';
import type { ReportSweepInput } from './sweep.ts';

/** The report sweep's Temporal Schedule: every 10 minutes, starting the chases no one started. */
export function reportSweepScheduleSpec(
  opts: { timeZone?: string | undefined; workingHours?: WorkingHours | undefined } = {},
) {
  const timeZone = opts.timeZone ?? 'Asia/Shanghai';
  const args: [ReportSweepInput] = [{ config: { timeZone, workingHours: opts.workingHours } }];
  return {
    scheduleId: 'rectify-report-sweep',
    workflowType: 'reportSweep',
    cron: '*/10 * * * *',
    timeZone,
    args,
    overlap: 'SKIP' as const,
    // Each run looks at every untriaged report: one missed run is made good by the next.
    catchupWindow: '10 minutes',
  };
}
