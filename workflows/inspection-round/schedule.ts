import type { RoundKind, RoundsInput } from '../../domain/inspection.ts';

/**
 * The three inspection schedules (日检、周查、月评, seeds 002 and 004): each
 * run opens that kind's round in every building, assigned to its supervisors.
 */
export function inspectionScheduleSpecs(opts: { timeZone?: string | undefined } = {}) {
  const timeZone = opts.timeZone ?? 'Asia/Shanghai';
  const spec = (kind: RoundKind, cron: string, catchupWindow: string) => {
    const args: [RoundsInput] = [{ kind, timeZone }];
    return {
      scheduleId: `rectify-inspection-${kind}`,
      workflowType: 'inspectionRounds',
      cron,
      timeZone,
      args,
      // Round ids are per period, so a repeated run finds its rounds already started; a round
      // still open must not make the next period's run be skipped.
      overlap: 'ALLOW_ALL' as const,
      catchupWindow,
    };
  };
  return [
    spec('daily', '0 8 * * *', '12 hours'),
    spec('weekly', '0 8 * * 1', '3 days'),
    spec('monthly', '0 8 1 * *', '7 days'),
  ];
}
