import { condition, patched } from '@temporalio/workflow';
import type { CaseActivities } from '../../activities/index.ts';
import { planDeadline, type PlanDeadlineInput } from '../../domain/deadline-plan.ts';
import {
  SYSTEM_ACTOR,
  isTerminal,
  reporterActorId,
  type DeadlineView,
  type Reporter,
} from '../../domain/case-model.ts';
import {
  leadershipSecondNoticeAfterMs,
  linkForStage,
  peopleOfLevel,
  stageOwners,
  supervisesStage,
} from '../../domain/case-routing.ts';
import { approximateDeadlineNote } from '../../domain/calendar-note.ts';
import { remindersAfterRecount } from '../../domain/recount-reminders.ts';
import type { EscalationLevel } from '../../domain/directory.ts';
import { escalationPlan } from '../../domain/escalation.ts';
import { escalationInstants, nextNotifyTime, reminderTimes } from '../../domain/quiet-hours.ts';
import { workingDayMs } from '../../domain/working-time.ts';
import type { TimedStage } from '../../domain/sla.ts';
import { arrivalLink } from './clocks.ts';
import {
  DIRECTORY_ROUTING_PATCH,
  WORKING_TIME_ESCALATION_PATCH,
  currentRouting,
  workingTimeInstants,
} from './routing.ts';
import type { CaseState } from './state.ts';

/** patched() id: the reporter is reminded of the survey during follow-up (added after v1 histories). */
export const SURVEY_REMINDER_PATCH = 'follow-up-survey-reminder';
/** patched() id: escalation follows the case's severity (added after v2 histories). */
export const ESCALATION_BY_SEVERITY_PATCH = 'escalation-by-severity';
/** patched() id: reminders and escalations wait for working hours (added after v3 histories). */
export const QUIET_HOURS_PATCH = 'quiet-hours';
/** patched() id: effects on their own queues with bounded retries; a permanent failure is kept as stuck (after v4). */
export const EFFECT_FAILURES_PATCH = 'effect-failures';
/** patched() id: step ids carry the run lineage and a reused one with other content fails (after v4). */
export const STEP_LINEAGE_PATCH = 'step-lineage';
/**
 * patched() id: a calendar recount leaves the past alone: an overdue working-day clock keeps its
 * breach, and reminders a recount finds already past go once at most (after v20 histories).
 */
export const RECOUNT_SPARES_PAST_PATCH = 'recount-spares-the-past';
/**
 * patched() id: a calendar recount that moves no due but changes what the case shows of its
 * deadlines (a due no longer approximate once its year is entered, the calendar version it is
 * counted with) is recorded too, so the stored record the lists read says so (after v22 histories).
 */
export const RECOUNT_RECORDS_UNMOVED_PATCH = 'recount-records-unmoved';

const HOUR = 3_600_000;
const nowIso = () => new Date().toISOString();

/**
 * Deadline arithmetic, run as a local activity so its calendar-dependent result is in history
 * (a case that pinned its calendar counts in the workflow instead).
 */
export type DeadlinePlanner = Pick<CaseActivities, 'planDeadline' | 'planDeadlines'>;

/** What planning the deadline of the stage the case is in asks, from `start`. */
export function stagePlanInput(s: CaseState, start: string): PlanDeadlineInput {
  const { policy } = s;
  return {
    start,
    duration: policy.stageDurations[s.view.stage as TimedStage],
    timeZone: policy.timeZone,
    fractions: policy.reminderFractions,
  };
}

/**
 * Watches one stage: computes its deadline, sends reminders before it and escalates up
 * the grid at and after the breach, until the stage moves. `announce` lets the first stage
 * open the case (assignment email, 201).
 */
export async function superviseStage(s: CaseState, local: DeadlinePlanner, announce: boolean): Promise<void> {
  const { view, policy, input } = s;
  const stage = view.stage as TimedStage;
  const myEpoch = s.epoch;
  const moved = () => s.movedSince(myEpoch);
  // Taken up again after a calendar change (calendar-change.ts): the same deadline, recounted there.
  const recount = s.recountFrom;
  s.recountFrom = undefined;
  const calendarSeen = s.calendarChanges;
  const calendarChanged = () => s.calendarChanges !== calendarSeen;
  // The first stage's deadline may have been planned with the case's clocks (TRANSITION_EFFECTS_PATCH).
  const early = recount ? undefined : s.takeEarlyPlan();
  const startedAt = recount?.deadline.startedAt ?? early?.startedAt ?? nowIso();
  const plan =
    early?.plan ??
    (s.calendar
      ? planDeadline(stagePlanInput(s, startedAt), s.calendar)
      : await local.planDeadline(stagePlanInput(s, startedAt)));
  const deadline: DeadlineView = recount?.deadline ?? {
    stage,
    round: view.round,
    startedAt,
    due: plan.due,
    approximate: plan.approximate,
    ...(plan.approximate ? { note: approximateDeadlineNote(plan.due, policy.timeZone) } : {}),
    calendarVersion: plan.calendarVersion,
    state: 'pending',
  };
  // A recounted deadline is in the view already, its new due recorded by the change.
  if (!recount) s.setDeadline(deadline, myEpoch);
  if (announce) {
    const assigned = s.record(input.openedBy, 'assigned', {
      assigneeId: view.assigneeId,
      due: plan.due,
      approximate: plan.approximate,
    });
    if (!s.batched) {
      await assigned;
      s.opened = true;
    }
    await s.email({
      kind: 'assigned',
      to: { personIds: [view.assigneeId] },
      due: plan.due,
      ...arrivalLink(s),
    });
    // Open (201) once the case's record is written, as before: lists read the records.
    if (s.batched) {
      await s.recorded();
      s.opened = true;
    }
  } else if (!recount && !moved()) {
    await s.record(SYSTEM_ACTOR, 'deadline_set', {
      stage,
      round: view.round,
      due: plan.due,
      approximate: plan.approximate,
    });
  }
  const quietOpts = { timeZone: policy.timeZone, hours: policy.workingHours };
  // Cases whose stage began before quiet hours keep their reminders at the planned instants.
  const quiet = s.has(QUIET_HOURS_PATCH);
  const planned = quiet
    ? reminderTimes(plan.reminders, plan.due, input.severity, quietOpts)
    : plan.reminders.map((at, index) => ({ index, at }));
  // A recounted deadline's reminders already sent are not sent again.
  const reminders = recount ? planned.filter((r) => r.index >= recount.nextReminder) : planned;

  // Whether the stage moved on before `at()` came; while a pause holds the deadline nothing
  // fires, and the caller reads `at()` again once it ends. The hold is waited out at the call
  // sites, not in a helper of its own: an extra await would resume a case no pause held one
  // microtask later than its history was recorded with.
  const waitUntil = (at: () => string) =>
    condition(() => moved() || s.holdNow() || calendarChanged(), Math.max(1, Date.parse(at()) - Date.now()));
  // A calendar change stops the watch before the breach; the stage's next watch re-plans its reminders.
  const stopForRecount = (nextReminder: number): boolean => {
    if (!calendarChanged()) return false;
    s.recountFrom = { deadline, nextReminder };
    return true;
  };
  const holdEnds = () => condition(() => moved() || !s.holdNow());
  // A reminder moved on by the pauses that held the deadline, kept out of quiet hours as planned ones are.
  const heldReminder = (at: string, first: boolean): string => {
    const held = deadline.heldMs ?? 0;
    if (held === 0) return at;
    const later = new Date(Date.parse(at) + held).toISOString();
    return quiet ? nextNotifyTime(later, input.severity, first, quietOpts) : later;
  };

  const toSend =
    recount && patched(RECOUNT_SPARES_PAST_PATCH)
      ? remindersAfterRecount(reminders, (r) => heldReminder(r.at, r.index === 0), deadline.due, Date.now())
      : reminders;
  for (const { index: i, at } of toSend) {
    const wake = () => heldReminder(at, i === 0);
    while (await waitUntil(wake)) {
      if (moved() || stopForRecount(i)) return;
      await holdEnds();
    }
    // Moved on into quiet hours past the (moved) due: no reminder after the fact.
    if (deadline.heldMs && Date.parse(wake()) >= Date.parse(deadline.due)) continue;
    if (stage === 'follow_up') {
      // The reporter is the one to act in follow-up; cases recorded before this change
      // reminded nobody here, and replay them that way. A reporter with no email has no
      // mailbox to be reminded at (their tracking page shows the survey all along).
      if (view.reporter?.email && s.has(SURVEY_REMINDER_PATCH))
        await remindReporter(s, view.reporter, i, deadline.due);
      continue;
    }
    const to = stageOwners(stage, view, policy);
    if (to.length === 0) continue;
    s.notice('reminder', to);
    await s.record(SYSTEM_ACTOR, 'reminder_sent', { stage, to });
    await s.email({
      kind: 'reminder',
      key: `r${i + 1}`,
      // The adjudicating and reviewing stages wait on the building's supervisors as they are now.
      to: supervisesStage(stage)
        ? { personIds: to, supervisorsOf: view.location.buildingId }
        : { personIds: to },
      due: deadline.due,
      link: linkForStage(stage),
    });
  }
  while (await waitUntil(() => deadline.due)) {
    if (moved() || stopForRecount(Number.MAX_SAFE_INTEGER)) return;
    await holdEnds();
  }

  if (stage === 'follow_up') {
    view.followUp = { at: nowIso(), outcome: 'unrated' };
    s.moveTo('closed', { cancelDeadline: true });
    await s.record(SYSTEM_ACTOR, 'closed_unrated', { after: policy.stageDurations.follow_up });
    return;
  }
  s.breach(deadline);
  await s.record(SYSTEM_ACTOR, 'deadline_breached', { stage, round: view.round, due: deadline.due });
  const span = Date.parse(plan.due) - Date.parse(startedAt);
  const escalate = async (level: EscalationLevel['level'], personIds: string[]) => {
    s.notice('escalation', personIds, level);
    await s.record(SYSTEM_ACTOR, 'escalated', { stage, level, to: personIds });
    await s.email({
      kind: 'escalation',
      key: level,
      to: { personIds },
      due: deadline.due,
      detail: level,
    });
  };
  if (s.has(ESCALATION_BY_SEVERITY_PATCH)) {
    const breachedAt = Date.now();
    // Who is in the chain now (a newly appointed grid member hears of it); the pinned chain as the fallback.
    const chain = s.has(DIRECTORY_ROUTING_PATCH)
      ? (await currentRouting(s)).escalationChain
      : policy.escalationChain;
    // A working-day rule's rungs are a stage's worth of working time apart, counted in working time.
    const limit = policy.stageDurations[stage];
    const workingTime = limit.unit === 'working_days' && s.has(WORKING_TIME_ESCALATION_PATCH);
    const steps = escalationPlan({
      severity: input.severity,
      chain,
      stageSpanMs: workingTime ? limit.amount * workingDayMs(policy.workingHours) : span,
    });
    const times = workingTime
      ? await workingTimeInstants(s, new Date(breachedAt).toISOString(), steps).then((at) =>
          at.map((t, k) => nextNotifyTime(t, input.severity, steps[k]?.afterBreachMs === 0, quietOpts)),
        )
      : quiet
        ? escalationInstants(new Date(breachedAt).toISOString(), steps, input.severity, quietOpts)
        : steps.map((step) => new Date(breachedAt + step.afterBreachMs).toISOString());
    for (const [k, step] of steps.entries()) {
      const wait = Date.parse(times[k] ?? '') - Date.now();
      if (wait > 0 && (await condition(moved, wait))) return;
      if (moved()) return;
      await escalate(step.level, step.personIds);
    }
    await condition(moved);
    return;
  }
  // Cases that breached before the patch walk the whole pinned chain, leadership included.
  const period = Math.max(HOUR, span);
  for (const level of policy.escalationChain) {
    await escalate(level.level, level.personIds);
    if (await condition(moved, period)) return;
  }
  await condition(moved);
}

/** The survey again, with its rating link, before the follow-up window closes unrated. */
async function remindReporter(s: CaseState, reporter: Reporter, i: number, due: string): Promise<void> {
  const to = [reporterActorId(reporter) ?? reporter.email ?? 'reporter'];
  s.notice('reminder', to);
  await s.record(SYSTEM_ACTOR, 'reminder_sent', { stage: 'follow_up', to });
  await s.email({
    kind: 'result_and_survey',
    key: `r${i + 1}`,
    to: { reporter },
    due,
    link: linkForStage('follow_up'),
  });
}

/**
 * Major problems reach leadership at once and again before the pinned policy's notice
 * limit passes (seed 002: 48 hours), unless the case is done by then.
 */
export async function watchLeadership(s: CaseState): Promise<void> {
  const to = peopleOfLevel(s.policy, 'leadership');
  if (to.length === 0) return;
  // After the case is open, so the chain reads detected → assigned → leadership_notified.
  await condition(() => s.opened);
  const openedMs = Date.now();
  const notify = async (n: number) => {
    s.notice('leadership_notice', to, 'leadership');
    await s.record(SYSTEM_ACTOR, 'leadership_notified', { notice: n, to });
    await s.email({ kind: 'leadership_notice', key: `n${n}`, to: { personIds: to } });
  };
  await notify(1);
  // Counted from the opening, not from when the first email went out.
  const second = openedMs + leadershipSecondNoticeAfterMs(s.policy) - Date.now();
  if (await condition(() => isTerminal(s.view.stage), Math.max(1, second))) return;
  await notify(2);
}
