import type { AuditAnchorInput } from './workflow.ts';

/** What infra/schedules.ts needs to create or update the anchor's Temporal Schedule. */
export interface AuditAnchorScheduleSpec {
  scheduleId: string;
  workflowType: 'auditAnchor';
  /** Cron in the campus time zone: minute hour day-of-month month day-of-week. */
  cron: string;
  timeZone: string;
  args: [AuditAnchorInput];
  /** A run still going when the next is due is not doubled: the next day's anchor covers it. */
  overlap: 'SKIP';
  /** A run missed while the cluster was down is caught up within a day, not replayed for weeks. */
  catchupWindow: '1 day';
}

export interface AuditAnchorScheduleOptions {
  timeZone?: string | undefined;
  cron?: string | undefined;
  keepHeads?: number | undefined;
}

/** Daily at 02:00 campus time by default: after the day's work, before the morning brief. */
export function auditAnchorScheduleSpec(opts: AuditAnchorScheduleOptions = {}): AuditAnchorScheduleSpec {
  return {
    scheduleId: 'rectify-audit-anchor',
    workflowType: 'auditAnchor',
    cron: opts.cron ?? '0 2 * * *',
    timeZone: opts.timeZone ?? 'Asia/Shanghai',
    args: [opts.keepHeads === undefined ? {} : { keepHeads: opts.keepHeads }],
    overlap: 'SKIP',
    catchupWindow: '1 day',
  };
}
