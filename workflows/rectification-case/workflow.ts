import {
  allHandlersFinished,
  condition,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { CaseActivities } from '../../activities/index.ts';
import { pinnedCalendar } from '../../domain/calendar.ts';
import { openingReport } from '../../domain/opening-report.ts';
import { registerCalendarChange } from './calendar-change.ts';
import { isTerminal, type CaseInput } from '../../domain/case-model.ts';
import { effectFailureTypes, effectQueues } from '../../domain/effect-failure.ts';
import { EFFECT_FAILURES_PATCH, STEP_LINEAGE_PATCH, superviseStage, watchLeadership } from './deadlines.ts';
import { CASE_BUDGETS } from '../../domain/case-budgets.ts';
import { CASE_BUDGETS_PATCH } from './budgets.ts';
import { CASE_CLOCKS_PATCH, planClocks, watchPauses } from './clocks.ts';
import { caseViewQuery, openedUpdate, pinnedSupervisorsQuery, type StepAck } from './messages.ts';
import {
  CaseState,
  LEAN_CASE_PATCH,
  LEAN_EFFECTS_PATCH,
  TRANSITION_EFFECTS_PATCH,
  type CaseEffects,
} from './state.ts';
import { registerSteps } from './steps.ts';
import { registerStuckEffects } from './stuck-effects.ts';

export { SURVEY_REMINDER_PATCH } from './deadlines.ts';

const acts = proxyActivities<CaseActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});
// Deadline arithmetic runs as a local activity so its result (which depends on
// calendar data that changes between deployments) is recorded in history.
const local = proxyLocalActivities<CaseActivities>({ startToCloseTimeout: '30 seconds' });

/**
 * Behind EFFECT_FAILURES_PATCH: records and mail on task queues of their own, each retried
 * within a bound; the typed permanent failures (a refused mail, a newer record) are not
 * retried at all. Audit writes get the longer bound: the trail is what must not be lost.
 */
function namedEffects(): CaseEffects {
  const queues = effectQueues(workflowInfo().taskQueue);
  const retry = {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    nonRetryableErrorTypes: [...effectFailureTypes],
  };
  // The bounds are also how soon an attempt lost with its worker (a crash, a SIGKILL) runs
  // again: a record is one conditional write, done in well under a second even on a busy
  // machine; a mail heartbeats once per recipient, so a worker gone mid-mail is noticed
  // within the heartbeat timeout however many recipients (and slow relays) the mail has.
  // Records stay activities, not local activities: a local activity's input is fixed in history
  // only when its workflow task completes, so a task retried after a crash would write the same
  // step id with another time in it (a collision in the trail); an activity's input is fixed
  // when it is scheduled.
  const audit = proxyActivities<CaseActivities>({
    taskQueue: queues.audit,
    startToCloseTimeout: '15 seconds',
    retry: { ...retry, maximumInterval: '1 minute', maximumAttempts: 20 },
  });
  const mail = proxyActivities<CaseActivities>({
    taskQueue: queues.mail,
    startToCloseTimeout: '10 minutes',
    heartbeatTimeout: '20 seconds',
    retry: { ...retry, maximumInterval: '30 seconds', maximumAttempts: 8 },
  });
  // A transition's records and mail in one activity: the records' bound, the mail's heartbeat
  // (it sends the mail too, one recipient at a time).
  const transitions = proxyActivities<CaseActivities>({
    taskQueue: queues.audit,
    startToCloseTimeout: '10 minutes',
    heartbeatTimeout: '20 seconds',
    retry: { ...retry, maximumInterval: '1 minute', maximumAttempts: 20 },
  });
  return {
    applyTransition: transitions.applyTransition,
    recordStep: audit.recordStep,
    sendCaseEmail: mail.sendCaseEmail,
    tellReporters: mail.tellReporters,
  };
}

/**
 * The run lineage of this run: the first run's id, and this run's own when it is not the
 * first (a reset, or a continue-as-new), which is what tells a reset run's steps apart.
 */
function stepLineage(): string {
  const { firstExecutionRunId, runId } = workflowInfo();
  return runId === firstExecutionRunId ? firstExecutionRunId : `${firstExecutionRunId}/${runId}`;
}

/**
 * One durable workflow per case, from detection to closure. This is the lifecycle only:
 * the case's state and stage moves live in `state.ts`, the human steps (one update and
 * validator each) in `steps.ts`, the deadlines, reminders, escalation and leadership
 * notices in `deadlines.ts`; who is told what comes from domain/.
 *
 * The order in which this function and its parts issue commands is what the committed
 * replay histories (test/replay/histories) pin: a change to it goes behind `patched()`.
 */
export async function rectificationCase(input: CaseInput): Promise<StepAck> {
  return runCase(input, false);
}

/**
 * The case workflow as the API opens it now: the type itself says the case takes every change
 * made behind a patch so far, so it asks none (no marker, no `TemporalChangeVersion` upsert), and
 * a worker without this type never picks such a case up. `rectificationCase` stays for the cases
 * already running and for the ones duties and inspections open.
 */
export async function rectificationCaseV2(input: CaseInput): Promise<StepAck> {
  return runCase(input, true);
}

/**
 * patched() id: a `rectificationCase` (a duty's or an inspection's) with a calendar in its input
 * counts its deadlines with it in the workflow. `rectificationCaseV2` does so by its type.
 */
export const PINNED_CALENDAR_PATCH = 'pinned-calendar';

/**
 * patched() id: the `detected` entry also carries the report as it came in (domain/opening-report.ts:
 * the title, the description's SHA-256 and the files it cites), so the audit check re-hashes the
 * opening photos and compares the case record's title and description with it. Asked by a
 * `rectificationCase` (a duty's or an inspection's); `rectificationCaseV2` takes it by its type.
 */
export const DETECTED_REPORT_PATCH = 'detected-cites-report';

async function runCase(input: CaseInput, typed: boolean): Promise<StepAck> {
  // A case opened now takes every earlier patch with its one marker (TRANSITION_EFFECTS_PATCH);
  // one opened between LEAN_EFFECTS_PATCH and it, with that one; a typed case with none.
  const transitions = typed || patched(TRANSITION_EFFECTS_PATCH);
  const current = transitions || patched(LEAN_EFFECTS_PATCH);
  // Every patch up to transition-effects. A later change asks patched() with its own id directly
  // (as PINNED_CALENDAR_PATCH does): `has` answers yes to any id for every case opened since.
  const has = (patchId: string) => current || patched(patchId);
  // Cases started before named failures keep one queue and unbounded retries on replay.
  const named = has(EFFECT_FAILURES_PATCH);
  const s = new CaseState(input, named ? namedEffects() : acts);
  s.has = has;
  s.answersWithDeadline = current;
  s.namedFailures = named;
  if (has(STEP_LINEAGE_PATCH)) s.stepLineage = stepLineage();
  if (has(CASE_BUDGETS_PATCH)) s.budgets = CASE_BUDGETS;
  if (has(LEAN_CASE_PATCH)) s.lean = true;
  // A case that pinned its calendar counts its deadlines here: no local activity (and no marker) per
  // stage. An untyped one (a duty's or inspection's) asks a patch too: a worker from before it may
  // have run the case with the calendar in its input and planned each deadline in a local activity.
  const pin = input.calendar;
  const pinned = pin !== undefined && (typed || patched(PINNED_CALENDAR_PATCH));
  if (pin && pinned) s.calendar = pinnedCalendar(pin);
  if (transitions) {
    s.batched = true;
    // Cases opened since state their stage's deadline in their mail; older ones replay as sent.
    s.mailsStateDue = typed || pinned;
    void s.sendTransitions();
  }

  // Queries and updates: registered before the first await.
  setHandler(caseViewQuery, () => s.view);
  setHandler(pinnedSupervisorsQuery, () => [...s.policy.supervisorIds]);
  setHandler(openedUpdate, async () => {
    await condition(() => s.opened);
    return s.lean ? s.ack() : s.view;
  });
  registerSteps(s);
  registerStuckEffects(s);
  registerCalendarChange(s);

  // Detected: recorded as it came in, then handed to the assignee for analysis. A case sending
  // transitions upserts its search attributes once, when it moves on to analysis.
  if (!s.batched) s.syncSearch();
  // A typed case asks no marker: this changes only the record's input, never which commands the
  // case issues, so a typed case opened before it replays its scheduled record as it was.
  const reported = typed || patched(DETECTED_REPORT_PATCH);
  await s.record(input.openedBy, 'detected', {
    source: input.source,
    severity: input.severity,
    category: input.category,
    location: input.location,
    assigneeId: input.assigneeId,
    sla: { version: input.policy.slaVersion, ruleId: input.policy.slaRuleId },
    // The report itself, so the trail vouches for it and its photos as it does for every later step.
    ...(reported ? openingReport(input) : {}),
  });
  s.moveTo('analysing');

  // Case-level clocks run from the report beside the stage deadlines; cases opened before them have none.
  const clocked = has(CASE_CLOCKS_PATCH);
  if (clocked) await planClocks(s, local);
  const pauses = clocked ? watchPauses(s) : Promise.resolve();

  // Runs beside the stages: leadership hears of a major case at once, not when analysis ends.
  const leadership = input.severity === 'major' ? watchLeadership(s) : Promise.resolve();

  // One pass per stage, until the case is closed or withdrawn. Bounded: stages move only on
  // a human step or a follow-up timeout; each pass sends a fixed number of reminders and at
  // most one escalation per rung of the (finite) chain, then waits without a timer.
  // Comments and every other loop are capped by the case's budgets (domain/case-budgets.ts). The first pass opens the case (assignment, 201).
  for (let first = true; !isTerminal(s.view.stage); first = false) {
    await superviseStage(s, local, first);
  }

  await leadership;
  await pauses;
  await condition(allHandlersFinished);
  await s.settled();
  // Lean: the case's last word is where it ended; its whole view stays with the query and the record.
  return s.lean ? s.ack() : s.view;
}
