import { ScheduleAlreadyRunning, type Client, type ScheduleOverlapPolicy } from '@temporalio/client';
import { z } from 'zod';
import { CRON, ConfigError, cronSetting, type Env } from './config.ts';
import { WEEKLY_REPORT_CRON } from '../domain/weekly-build.ts';
import type { WeeklyFeedbackConfig } from '../workflows/weekly-feedback/messages.ts';
import type { DailyBriefConfig } from '../workflows/daily-brief/messages.ts';
import { auditAnchorScheduleSpec } from '../workflows/audit-anchor/schedule.ts';
import { zeroReportScheduleSpec } from '../workflows/zero-report/schedule.ts';
import { inspectionScheduleSpecs } from '../workflows/inspection-round/schedule.ts';
import { calendarWatchScheduleSpec } from '../workflows/calendar-watch/schedule.ts';
import { dutyScheduleSpec } from '../workflows/duty/schedule.ts';
import { reportSweepScheduleSpec } from '../workflows/report-triage/schedule.ts';

/**
 * The Temporal Schedules Rectify runs on, created or updated idempotently at
 * worker start and by `npm run schedules`. Each is one entry of a list, so
 * adding a schedule is adding one line where the list is built.
 */
export interface ScheduleDefinition {
  scheduleId: string;
  workflowType: string;
  /** minute hour day-of-month month day-of-week, in `timeZone`. */
  cron: string;
  timeZone: string;
  args: unknown[];
  overlap: ScheduleOverlapPolicy;
  /** How late a run missed while Temporal (or the worker's cluster) was down is still taken. */
  catchupWindow: string;
}

export interface FeedbackScheduleOptions {
  timeZone?: string | undefined;
  /** Default Monday 08:00. */
  weeklyCron?: string | undefined;
  /** Default 07:30 every day. */
  dailyCron?: string | undefined;
  weekly?: Partial<WeeklyFeedbackConfig> | undefined;
  daily?: Partial<DailyBriefConfig> | undefined;
}

/** The weekly feedback and the morning brief. */
export function feedbackScheduleSpecs(opts: FeedbackScheduleOptions = {}): ScheduleDefinition[] {
  const timeZone = opts.timeZone ?? 'Asia/Shanghai';
  return [
    {
      scheduleId: 'rectify-weekly-feedback',
      workflowType: 'weeklyFeedback',
      cron: opts.weeklyCron ?? WEEKLY_REPORT_CRON,
      timeZone,
      args: [{ config: { timeZone, ...opts.weekly } }],
      // Last week's run may still be tracking department follow-ups: this week's must start anyway.
      overlap: 'ALLOW_ALL',
      // Each run reports the week before its own scheduled time, never the week of when it starts,
      // and the next Monday reports only its own week: a missed Monday must be caught up or its
      // week is never reported. Four weeks covers a long outage; each missed week then runs once.
      catchupWindow: '28 days',
    },
    {
      scheduleId: 'rectify-daily-brief',
      workflowType: 'dailyBrief',
      cron: opts.dailyCron ?? '30 7 * * *',
      timeZone,
      args: [{ config: { timeZone, ...opts.daily } }],
      overlap: 'SKIP',
      // A morning brief is useful in the morning: caught up until noon, not the next day.
      catchupWindow: '4 hours',
    },
  ];
}

export interface EnsureResult {
  created: string[];
  updated: string[];
}

/** Creates each schedule, or brings an existing one to this definition (its paused state kept). */
export async function ensureSchedules(
  client: Client,
  env: Pick<Env, 'TEMPORAL_TASK_QUEUE'>,
  specs: readonly ScheduleDefinition[],
): Promise<EnsureResult> {
  const result: EnsureResult = { created: [], updated: [] };
  for (const def of specs) {
    if (!CRON.test(def.cron))
      throw new Error(`schedule ${def.scheduleId}: cron '${def.cron}' needs five fields`);
    const spec = { cronExpressions: [def.cron], timezone: def.timeZone };
    const action = {
      type: 'startWorkflow' as const,
      workflowType: def.workflowType,
      args: def.args,
      taskQueue: env.TEMPORAL_TASK_QUEUE,
      // Temporal appends the scheduled time, so each run has its own id.
      workflowId: def.scheduleId,
    };
    const policies = { overlap: def.overlap, catchupWindow: def.catchupWindow };
    try {
      await client.schedule.create({ scheduleId: def.scheduleId, spec, action, policies });
      result.created.push(def.scheduleId);
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
      await client.schedule.getHandle(def.scheduleId).update((prev) => ({ ...prev, spec, action, policies }));
      result.updated.push(def.scheduleId);
    }
  }
  return result;
}

const scheduleSettings = z.object({
  WEEKLY_FEEDBACK_CRON: cronSetting().optional(),
  DAILY_BRIEF_CRON: cronSetting().optional(),
  AUDIT_ANCHOR_CRON: cronSetting().optional(),
  CALENDAR_WATCH_CRON: cronSetting().optional(),
  FEEDBACK_SEND_RATE: z.coerce.number().positive().max(10_000).optional(),
});

/** The variables schedulesFromEnv reads: a deployment must pass each of them to the worker. */
export const scheduleVariables = Object.keys(
  scheduleSettings.shape,
) as (keyof typeof scheduleSettings.shape)[];

/**
 * The schedules as the environment sets them (WEEKLY_FEEDBACK_CRON,
 * DAILY_BRIEF_CRON, AUDIT_ANCHOR_CRON, CALENDAR_WATCH_CRON, FEEDBACK_SEND_RATE, in CAMPUS_TZ): the worker ensures
 * exactly these at start, so `npm run schedules` must build them the same way.
 */
export function schedulesFromEnv(
  env: Pick<Env, 'CAMPUS_TZ'> & Partial<Pick<Env, 'WORKING_HOURS'>>,
  source: Record<string, string | undefined> = process.env,
): ScheduleDefinition[] {
  const parsed = scheduleSettings.safeParse(
    Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== '')),
  );
  if (!parsed.success)
    throw new ConfigError(
      `Invalid configuration:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  const extra = parsed.data;
  return [
    ...feedbackScheduleSpecs({
      timeZone: env.CAMPUS_TZ,
      weeklyCron: extra.WEEKLY_FEEDBACK_CRON,
      dailyCron: extra.DAILY_BRIEF_CRON,
      weekly: extra.FEEDBACK_SEND_RATE ? { sendRatePerSecond: extra.FEEDBACK_SEND_RATE } : undefined,
    }),
    auditAnchorScheduleSpec({ timeZone: env.CAMPUS_TZ, cron: extra.AUDIT_ANCHOR_CRON }),
    zeroReportScheduleSpec({ timeZone: env.CAMPUS_TZ }),
    ...inspectionScheduleSpecs({ timeZone: env.CAMPUS_TZ }),
    calendarWatchScheduleSpec({ timeZone: env.CAMPUS_TZ, cron: extra.CALENDAR_WATCH_CRON }),
    dutyScheduleSpec({ timeZone: env.CAMPUS_TZ }),
    reportSweepScheduleSpec({ timeZone: env.CAMPUS_TZ, workingHours: env.WORKING_HOURS }),
  ];
}
