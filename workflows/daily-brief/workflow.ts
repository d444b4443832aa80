import { ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { FeedbackActivities } from '../../activities/feedback.ts';
import { isValidDate, localDate } from '../../domain/calendar.ts';
import { scheduledStart } from '../schedule-time.ts';
import { DailyBriefFailure, defaultDailyBriefConfig, type DailyBriefWorkflowInput } from './messages.ts';

const acts = proxyActivities<FeedbackActivities>({
  startToCloseTimeout: '10 minutes',
  retry: { maximumAttempts: 10, nonRetryableErrorTypes: ['FeedbackNoDirectory'] },
});

/**
 * The morning brief (晨会, 07:30 by default): yesterday's new, closed and
 * breached cases and today's deadlines, to each building's supervisors. One
 * short run per morning; the outbox makes a repeated run send nothing twice.
 */
export async function dailyBrief(
  input: DailyBriefWorkflowInput = {},
): Promise<{ date: string; buildings: number; sent: number }> {
  const cfg = { ...defaultDailyBriefConfig, ...input.config };
  const date = input.date ?? localDate(scheduledStart(), cfg.timeZone);
  // A bad date is the caller's: fail the run at once rather than retry its activity for hours.
  if (!isValidDate(date))
    throw ApplicationFailure.nonRetryable(
      `date ${date} is not a calendar date like 2026-03-02`,
      DailyBriefFailure.InvalidDate,
    );
  const out = await acts.sendDailyBriefs({ date, timeZone: cfg.timeZone, lookbackDays: cfg.lookbackDays });
  return { date, ...out };
}
