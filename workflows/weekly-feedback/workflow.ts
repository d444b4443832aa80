import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { FeedbackActivities, SendBatchInput } from '../../activities/feedback.ts';
import type { DigestKind } from '../../domain/digest.ts';
import { isValidIsoWeek, reportedWeek } from '../../domain/digest.ts';
import {
  defaultWeeklyConfig,
  followUpHandledSignal,
  weeklyStatusQuery,
  WeeklyFailure,
  type WeeklyFeedbackInput,
  type WeeklyFeedbackResult,
  type WeeklyFeedbackState,
} from './messages.ts';
import { scheduledStart } from '../schedule-time.ts';

const build = proxyActivities<FeedbackActivities>({
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { maximumAttempts: 10, nonRetryableErrorTypes: ['FeedbackNoDirectory'] },
});
// A batch at a slow configured rate can take minutes; heartbeats show it is alive.
const mail = proxyActivities<FeedbackActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { maximumAttempts: 20, nonRetryableErrorTypes: ['FeedbackNoDirectory'] },
});

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const LINK_TTL = 7 * DAY;

const chunk = <T>(xs: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(xs.length / size) }, (_, i) => xs.slice(i * size, (i + 1) * size));

/**
 * One week's feedback (PDCA "Act"): build and store every digest, email them
 * with bounded concurrency at the configured SES rate, remind and then escalate
 * unacknowledged staff digests, and track department follow-ups until each is
 * marked handled (or the horizon passes and the working group hears of the
 * rest). Acknowledgements and follow-ups are read from the store, so thousands
 * of clicks never enter this history; the run continues as new whenever its
 * history passes the configured size.
 */
export async function weeklyFeedback(input: WeeklyFeedbackInput = {}): Promise<WeeklyFeedbackResult> {
  const cfg = { ...defaultWeeklyConfig, ...input.config };
  const week = input.state?.week ?? input.week ?? reportedWeek(scheduledStart(), cfg.timeZone);
  // A bad week is the caller's: fail the run, don't retry its workflow task forever.
  if (!isValidIsoWeek(week))
    throw ApplicationFailure.nonRetryable(
      `week ${week} is not an ISO week like 2026-W07`,
      WeeklyFailure.InvalidWeek,
    );
  const state: WeeklyFeedbackState = input.state
    ? { ...input.state, runs: input.state.runs + 1 }
    : {
        week,
        phase: 'build',
        batchesDone: 0,
        reminded: false,
        escalated: false,
        departmentsDone: false,
        departmentReminders: 0,
        emails: { sent: 0, alreadySent: 0, skipped: 0 },
        runs: 1,
      };

  let woken = false;
  setHandler(weeklyStatusQuery, () => state);
  setHandler(followUpHandledSignal, () => {
    woken = true;
  });

  const rollOverIfLong = async () => {
    const info = workflowInfo();
    if (!info.continueAsNewSuggested && info.historyLength < cfg.maxHistoryEvents) return;
    await condition(allHandlersFinished);
    await continueAsNew<typeof weeklyFeedback>({ config: input.config, state });
  };

  const rate = cfg.sendRatePerSecond / Math.max(1, cfg.concurrency);
  const fanOut = async (
    kind: DigestKind,
    purpose: SendBatchInput['purpose'],
    ids: string[],
    round?: number,
  ) => {
    for (const wave of chunk(chunk(ids, cfg.batchSize), cfg.concurrency)) {
      const linkExpiresAt = new Date(Date.now() + LINK_TTL).toISOString();
      const results = await Promise.all(
        wave.map((batch) =>
          mail.sendWeeklyBatch({
            week,
            kind,
            purpose,
            ids: batch,
            round,
            ratePerSecond: rate,
            linkExpiresAt,
          }),
        ),
      );
      for (const r of results) {
        state.emails.sent += r.sent;
        state.emails.alreadySent += r.alreadySent;
        state.emails.skipped += r.skipped;
      }
    }
  };

  if (state.phase === 'build') {
    state.recipients = await build.buildWeeklyFeedback({
      week,
      timeZone: cfg.timeZone,
      workflowId: workflowInfo().workflowId,
      lookbackDays: cfg.lookbackDays,
    });
    state.phase = 'send';
  }

  const recipients = state.recipients ?? { staff: [], departments: [], buildings: [] };
  if (state.phase === 'send') {
    const batches: { kind: DigestKind; ids: string[] }[] = [
      ...chunk(recipients.staff, cfg.batchSize).map((ids) => ({ kind: 'staff' as const, ids })),
      ...chunk(recipients.departments, cfg.batchSize).map((ids) => ({ kind: 'department' as const, ids })),
      ...chunk(recipients.buildings, cfg.batchSize).map((ids) => ({ kind: 'building' as const, ids })),
      { kind: 'working_group', ids: ['campus'] },
    ];
    while (state.batchesDone < batches.length) {
      const wave = batches.slice(state.batchesDone, state.batchesDone + cfg.concurrency);
      const linkExpiresAt = new Date(Date.now() + LINK_TTL).toISOString();
      const results = await Promise.all(
        wave.map((b) =>
          mail.sendWeeklyBatch({
            week,
            kind: b.kind,
            purpose: 'digest',
            ids: b.ids,
            ratePerSecond: rate,
            linkExpiresAt,
          }),
        ),
      );
      for (const r of results) {
        state.emails.sent += r.sent;
        state.emails.alreadySent += r.alreadySent;
        state.emails.skipped += r.skipped;
      }
      state.batchesDone += wave.length;
      // Safe mid-send: the outbox never sends one email twice, so a repeated batch is harmless.
      await rollOverIfLong();
    }
    state.sentAt = new Date().toISOString();
    state.phase = 'track';
    if (recipients.staff.length === 0) state.reminded = state.escalated = true;
    if (recipients.departments.length === 0) {
      state.departmentsDone = true;
      state.departmentOutcome = 'none';
    }
  }

  if (state.phase === 'track') {
    const sent = Date.parse(state.sentAt ?? new Date().toISOString());
    const remindAt = sent + cfg.reminderAfterHours * HOUR;
    const escalateAt = sent + cfg.escalateAfterHours * HOUR;
    const horizon = sent + cfg.trackingHorizonDays * DAY;
    const nextDeptReminder = () =>
      Math.min(horizon, sent + (state.departmentReminders + 1) * cfg.departmentReminderEveryHours * HOUR);

    while (!(state.escalated && state.departmentsDone)) {
      const due: number[] = [];
      if (!state.reminded) due.push(remindAt);
      else if (!state.escalated) due.push(escalateAt);
      if (!state.departmentsDone) due.push(nextDeptReminder());
      woken = false;
      // A follow-up marked handled wakes the run early, so it can finish as soon as all are.
      await condition(() => woken, Math.max(1, Math.min(...due) - Date.now()));
      const now = Date.now();

      if (!state.reminded && now >= remindAt) {
        await fanOut('staff', 'reminder', await build.pendingAcknowledgements({ week }));
        state.reminded = true;
      } else if (state.reminded && !state.escalated && now >= escalateAt) {
        await fanOut('staff', 'escalation', await build.pendingAcknowledgements({ week }));
        state.escalated = true;
      }

      if (!state.departmentsDone) {
        const status = await build.departmentFollowUpStatus({ week });
        if (status.open === 0) {
          state.departmentsDone = true;
          state.departmentOutcome = 'all_handled';
        } else if (now >= horizon) {
          await fanOut('department', 'escalation', status.departmentsWithOpen);
          state.departmentsDone = true;
          state.departmentOutcome = 'escalated';
        } else if (now >= nextDeptReminder()) {
          state.departmentReminders += 1;
          await fanOut('department', 'reminder', status.departmentsWithOpen, state.departmentReminders);
        }
      }
      await rollOverIfLong();
    }
    state.phase = 'done';
  }

  await condition(allHandlersFinished);
  return {
    week,
    runs: state.runs,
    staff: recipients.staff.length,
    departments: recipients.departments.length,
    departmentOutcome: state.departmentOutcome ?? 'none',
    emails: state.emails,
  };
}
