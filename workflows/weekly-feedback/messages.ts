import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { BuiltWeekly } from '../../activities/feedback.ts';

/** How the weekly feedback runs; every field has a default, the schedule may override any. */
export interface WeeklyFeedbackConfig {
  timeZone: string;
  /** The SES account's send rate (messages per second), shared by all parallel senders. */
  sendRatePerSecond: number;
  /** Send activities running at once. */
  concurrency: number;
  /** Recipients per send activity. */
  batchSize: number;
  /** Unacknowledged digests get a reminder this long after sending… */
  reminderAfterHours: number;
  /** …and go to the person's supervisors this long after sending. */
  escalateAfterHours: number;
  /** Departments with open follow-ups are reminded this often… */
  departmentReminderEveryHours: number;
  /** …until this long after sending, when what is still open goes to the working group. */
  trackingHorizonDays: number;
  /** How far back case reads reach for cases still moving in the week. */
  lookbackDays: number;
  /** Continue-as-new once a run's history reaches this many events. */
  maxHistoryEvents: number;
}

export const defaultWeeklyConfig: WeeklyFeedbackConfig = {
  timeZone: 'Asia/Shanghai',
  // Amazon SES's default production quota is 14 messages a second.
  sendRatePerSecond: 14,
  concurrency: 4,
  batchSize: 50,
  reminderAfterHours: 48,
  escalateAfterHours: 96,
  departmentReminderEveryHours: 48,
  trackingHorizonDays: 28,
  lookbackDays: 120,
  // Well under Temporal's 50k-event limit, and cheap to replay.
  maxHistoryEvents: 2_000,
};

/** What a run hands to the next when it continues as new. */
export interface WeeklyFeedbackState {
  week: string;
  phase: 'build' | 'send' | 'track' | 'done';
  recipients?: BuiltWeekly | undefined;
  batchesDone: number;
  sentAt?: string | undefined;
  reminded: boolean;
  escalated: boolean;
  departmentsDone: boolean;
  departmentReminders: number;
  departmentOutcome?: 'none' | 'all_handled' | 'escalated' | undefined;
  emails: { sent: number; alreadySent: number; skipped: number };
  /** Runs of this week's chain so far, this one included. */
  runs: number;
}

export interface WeeklyFeedbackInput {
  /** 'YYYY-Www'; default: the week before the (scheduled) start, in the campus time zone. */
  week?: string | undefined;
  config?: Partial<WeeklyFeedbackConfig> | undefined;
  /** Set only by continue-as-new. */
  state?: WeeklyFeedbackState | undefined;
}

export interface WeeklyFeedbackResult {
  week: string;
  runs: number;
  staff: number;
  departments: number;
  departmentOutcome: NonNullable<WeeklyFeedbackState['departmentOutcome']>;
  emails: WeeklyFeedbackState['emails'];
}

export const weeklyStatusQuery = defineQuery<WeeklyFeedbackState>('weeklyStatus');
/** Fire-and-forget nudge from the action page: a follow-up was marked handled, look again now. */
export const followUpHandledSignal = defineSignal('followUpHandled');

/** Failure types the weekly run raises; caller-caused ones are non-retryable. */
export const WeeklyFailure = {
  InvalidWeek: 'WeeklyInvalidWeek',
} as const;
