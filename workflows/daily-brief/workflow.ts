import { proxyActivities } from '@temporalio/workflow';
import type { FeedbackActivities } from '../../activities/feedback.ts';
import { localDate } from '../../domain/calendar.ts';
import { scheduledStart } from '../schedule-time.ts';
import { defaultDailyBriefConfig, type DailyBriefWorkflowInput } from './messages.ts';

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
  const out = await acts.sendDailyBriefs({ date, timeZone: cfg.timeZone, lookbackDays: cfg.lookbackDays });
  return { date, ...out };
}
