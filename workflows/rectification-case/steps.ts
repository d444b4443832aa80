import type { UpdateDefinition } from '@temporalio/common';
import { patched, setHandler } from '@temporalio/workflow';
import { isSurveyScore, surveyReopens } from '../../domain/case-action.ts';
import { SYSTEM_ACTOR, type Actor, type CaseView } from '../../domain/case-model.ts';
import { MAX_PAUSE_MS, openPause, pauseReasonLabels } from '../../domain/case-clocks.ts';
import { checkHandling, type HandlingInput, type HandlingStep } from '../../domain/case-handling.ts';
import { linkForStage, peopleOfLevel } from '../../domain/case-routing.ts';
import { reporterInvolved } from '../../domain/survey-rater.ts';
import {
  addCommentUpdate,
  adjudicateUpdate,
  arrivedUpdate,
  decidePauseUpdate,
  endPauseUpdate,
  handOverUpdate,
  reassignUpdate,
  requestPauseUpdate,
  reportRectificationUpdate,
  reviewUpdate,
  signOffUpdate,
  submitFollowUpUpdate,
  submitRootCauseUpdate,
  withdrawUpdate,
  type AdjudicationInput,
  type ArrivedInput,
  type EndPauseInput,
  type PauseDecisionInput,
  type PauseRequestInput,
  type ReassignInput,
  type CommentInput,
  type FollowUpInput,
  type RectificationInput,
  type ReviewInput,
  type RootCauseInput,
  type SignOffInput,
  type WithdrawInput,
  type StepAck,
} from './messages.ts';
import { guardBudgets } from './budgets.ts';
import { arrivalLink, PAUSE_HOLDS_STAGE_PATCH, PAUSE_WORKING_TIME_PATCH } from './clocks.ts';
import { currentRouting } from './routing.ts';
import { refuse, requireText, type CaseEmail, type CaseState } from './state.ts';

/**
 * patched() id: a withdrawal tells the case's reporters (scanned-code reports that opened it or
 * were merged into it) from the workflow, on the mail queue, so the notice is as durable as the
 * withdrawal; before, only the API sent it after the update.
 */
export const REPORTERS_TOLD_PATCH = 'reporters-told';

/**
 * patched() id: whoever must act next is told. A failed review goes to the assignee who does the
 * rework as well as the responsible person (once when they are one); a low rating that reopens
 * the case tells the assignee beside the supervisors; a hand-over tells the building's
 * supervisors who handed the case to whom. Before, a case handed to a colleague after its
 * analysis mailed the failed review to the responsible person only, the technician never heard
 * of a reopening, and a hand-over told no one but the new holder. Asked only at those three
 * steps, so only a case that takes one carries the marker.
 */
export const NEXT_ACTOR_TOLD_PATCH = 'next-actor-told';

/**
 * patched() id: a confirmed sign-off tells the assignee, who must now carry out the plan, by when
 * and where to report it (`signed_off_assignee`). Before, the case moved on to rectification and
 * nobody was mailed: the technician learnt of it from a reminder or from the case list. Not mailed
 * to an assignee who signed it themselves. Asked only at a confirmed sign-off with someone to tell,
 * in both case types (`rectificationCaseV2` stands for the patches before it, not for this one).
 */
export const SIGNOFF_TOLD_PATCH = 'signoff-told';

/**
 * The human steps of a case, one update each: a synchronous validator that refuses what
 * may not happen now (it leaves no trace in history), and a handler that changes the
 * state, moves the stage and queues the step's record and emails. Every handler answers
 * with the view after its step.
 */
interface Step<I> {
  update: UpdateDefinition<StepAck, [I]>;
  validate(s: CaseState, u: I): void;
  run(s: CaseState, u: I): Promise<CaseView>;
}

const nowIso = () => new Date().toISOString();

/**
 * Mail for the building's supervisors goes to whoever supervises it when the mail is sent (the
 * activity reads the directory), the case's pinned supervisors when the directory has none.
 * Only the activity's input changes, not the commands, so running cases replay as before.
 */
const supervisorsNow = (s: CaseState) => ({
  personIds: s.policy.supervisorIds,
  supervisorsOf: s.view.location.buildingId,
});

const rootCause: Step<RootCauseInput> = {
  update: submitRootCauseUpdate,
  validate(s, u) {
    s.guard('root_cause', u.actor);
    if (u.causes.length === 0 || u.causes.some((c: string) => !c.trim()))
      refuse({ kind: 'invalid', message: 'at least one cause is required / 至少填写一条原因' });
    requireText(u.plan, { zh: '整改方案', en: 'plan' });
    requireText(u.responsibleId, { zh: '责任人', en: 'responsibleId' });
    guardBudgets(s, { texts: [...u.causes, ...(u.whys ?? []), u.plan] });
  },
  async run(s, u) {
    const { view } = s;
    view.rootCause = {
      causes: u.causes,
      responsibleId: u.responsibleId,
      plan: u.plan,
      whys: u.whys,
      by: u.actor.id,
      at: nowIso(),
    };
    view.responsibleId = u.responsibleId;
    s.moveTo('awaiting_signoff');
    await s.record(u.actor, 'root_cause_submitted', view.rootCause);
    await s.email({
      kind: 'signoff_request',
      to: { personIds: [view.responsibleId] },
      link: linkForStage('awaiting_signoff'),
    });
    return view;
  },
};

const signOff: Step<SignOffInput> = {
  update: signOffUpdate,
  validate(s, u) {
    s.guard('sign_off', u.actor);
    if (u.decision === 'dispute') {
      requireText(u.reason, { zh: '异议理由', en: 'a dispute reason' });
      guardBudgets(s, { dispute: true, texts: [u.reason] });
    }
  },
  async run(s, u) {
    const { view } = s;
    view.signOffs.push({
      decision: u.decision,
      reason: u.reason,
      by: u.actor.id,
      at: nowIso(),
      round: view.round,
      signature: u.signature,
    });
    if (u.decision === 'confirm') {
      s.moveTo('rectifying');
      await s.record(u.actor, 'signed_off', { decision: 'confirm', signature: u.signature });
      // Whoever does the rectification acts next: the mail states its deadline (cases that state
      // one) and links the case page where it is reported. The rectifying stage has no signed link.
      if (view.assigneeId !== u.actor.id && patched(SIGNOFF_TOLD_PATCH))
        await s.email({ kind: 'signed_off_assignee', to: { personIds: [view.assigneeId] } });
    } else {
      s.moveTo('adjudicating');
      await s.record(u.actor, 'disputed', { reason: u.reason, signature: u.signature });
      await s.email({
        kind: 'adjudication_request',
        to: supervisorsNow(s),
        link: linkForStage('adjudicating'),
        detail: u.reason,
      });
    }
    return view;
  },
};

const adjudicate: Step<AdjudicationInput> = {
  update: adjudicateUpdate,
  validate(s, u) {
    s.guard('adjudication', u.actor);
    guardBudgets(s, { texts: [u.notes] });
  },
  async run(s, u) {
    const { view } = s;
    view.adjudications.push({ decision: u.decision, notes: u.notes, by: u.actor.id, at: nowIso() });
    s.moveTo(u.decision === 'revise' ? 'analysing' : 'rectifying');
    await s.record(u.actor, 'adjudicated', { decision: u.decision, notes: u.notes, signature: u.signature });
    // Both who signs and who analyses act next (the case goes back to analysis or on to the
    // rectification): one person when they are the same. Only the activity's input changes.
    await s.email({
      kind: 'adjudicated',
      to: { personIds: [...new Set([view.responsibleId, view.assigneeId])] },
      detail: u.notes,
    });
    return view;
  },
};

const reportRectification: Step<RectificationInput> = {
  update: reportRectificationUpdate,
  validate(s, u) {
    s.guard('rectification', u.actor);
    requireText(u.summary, { zh: '整改说明', en: 'summary' });
    guardBudgets(s, { texts: [u.summary, ...u.evidence], evidence: u.evidence.length });
  },
  async run(s, u) {
    const { view } = s;
    await endPauseByReport(s, u.actor);
    view.rectifications.push({
      round: view.round,
      summary: u.summary,
      evidence: u.evidence,
      by: u.actor.id,
      at: nowIso(),
    });
    s.moveTo('reviewing');
    await s.record(u.actor, 'rectification_reported', { summary: u.summary, evidence: u.evidence });
    await s.email({ kind: 'review_request', to: supervisorsNow(s) });
    return view;
  },
};

/**
 * patched() id: reporting the repair ends a pause still running (the parts came, the student let
 * them in): the work it waited for is done, and the review that follows is the supervisors' time,
 * which a technician's pause must not hold. Before, such a pause ran on through review and
 * follow-up until someone ended it or it ran out. Asked only when a report meets a running pause.
 */
export const REPORT_ENDS_PAUSE_PATCH = 'report-ends-pause';

/**
 * patched() id: reporting the repair also closes a pause request nobody decided yet. Before, the
 * request stayed open through review: no other pause could be asked, and after a failed review a
 * supervisor could still approve the old round's request and hold the new round's clocks. Asked
 * only when a report meets an undecided request.
 */
export const REPORT_ENDS_PAUSE_REQUEST_PATCH = 'report-ends-pause-request';

async function endPauseByReport(s: CaseState, actor: Actor): Promise<void> {
  const p = openPause(s.view.pauses);
  if (p?.state === 'requested' && patched(REPORT_ENDS_PAUSE_REQUEST_PATCH)) {
    // Never approved, so it held nothing: no deadline to move.
    Object.assign(p, { state: 'ended', endedAt: nowIso(), endedHow: 'reported' });
    await s.record(actor, 'pause_ended', { n: p.n, how: 'reported', undecided: true });
    return;
  }
  if (p?.state !== 'approved' || !patched(REPORT_ENDS_PAUSE_PATCH)) return;
  Object.assign(p, { state: 'ended', endedAt: nowIso(), endedHow: 'reported' });
  const due = s.releaseHold(p);
  await s.record(actor, 'pause_ended', { n: p.n, how: 'reported', ...(due ? { due } : {}) });
}

const review: Step<ReviewInput> = {
  update: reviewUpdate,
  validate(s, u) {
    s.guard('review', u.actor);
    if (!u.passed) requireText(u.notes, { zh: '复查不通过的说明', en: 'notes on a failed review' });
    guardBudgets(s, { texts: [u.notes], failedReview: !u.passed });
  },
  async run(s, u) {
    const { view, policy } = s;
    view.reviews.push({ round: view.round, passed: u.passed, notes: u.notes, by: u.actor.id, at: nowIso() });
    if (u.passed) {
      // A reporter who opened or handles the case may not rate it (pinned at opening; cases
      // opened before carry no such id and wait in follow-up as they always did).
      if (view.reporter && reporterInvolved(view)) {
        s.moveTo('closed');
        await s.record(u.actor, 'review_passed', { notes: u.notes });
        await s.record(SYSTEM_ACTOR, 'closed', { outcome: 'reporter_involved' });
      } else if (view.reporter) {
        s.moveTo('follow_up');
        await s.record(u.actor, 'review_passed', { notes: u.notes });
        // A scanned-code reporter who left no email rates on the report's tracking page: there is
        // nobody to mail. Every case before such reporters had an email one, so its commands stand.
        if (view.reporter.email)
          await s.email({
            kind: 'result_and_survey',
            to: { reporter: view.reporter },
            link: linkForStage('follow_up'),
          });
      } else {
        s.moveTo('closed');
        await s.record(u.actor, 'review_passed', { notes: u.notes });
        await s.record(SYSTEM_ACTOR, 'closed', { outcome: 'no_reporter' });
      }
      return view;
    }
    view.failedReviews += 1;
    s.moveTo('rectifying', { newRound: true });
    await s.record(u.actor, 'review_failed', { notes: u.notes, failedReviews: view.failedReviews });
    const rework = patched(NEXT_ACTOR_TOLD_PATCH)
      ? [...new Set([view.responsibleId, view.assigneeId])]
      : [view.responsibleId];
    await s.email({ kind: 'review_failed', to: { personIds: rework }, detail: u.notes });
    if (view.failedReviews >= policy.maxFailedReviews) {
      const to = peopleOfLevel(policy, 'working_group');
      s.notice('review_escalation', to, 'working_group');
      await s.record(SYSTEM_ACTOR, 'review_escalated', { failedReviews: view.failedReviews, to });
      await s.email({ kind: 'review_escalation', to: { personIds: to }, detail: u.notes });
    }
    return view;
  },
};

const followUp: Step<FollowUpInput> = {
  update: submitFollowUpUpdate,
  validate(s, u) {
    s.guard('follow_up', u.actor);
    if (!isSurveyScore(u.score))
      refuse({
        kind: 'invalid',
        message: 'score must be a whole number from 1 to 5 / 评分须为 1 到 5 的整数',
      });
    guardBudgets(s, { texts: [u.comment], reopen: isSurveyScore(u.score) && surveyReopens(u.score) });
  },
  async run(s, u) {
    const { view } = s;
    const { score } = u;
    // The validator let only a 1–5 score through; this narrows the type.
    if (!isSurveyScore(score))
      return refuse({ kind: 'invalid', message: 'score must be a whole number from 1 to 5' });
    const at = nowIso();
    const payload = { score, comment: u.comment, signature: u.signature };
    // The score also goes into the timeline: the view's followUp is overwritten by the next round.
    if (surveyReopens(score)) {
      view.followUp = { score, comment: u.comment, at, outcome: 'reopened' };
      s.moveTo('reviewing', { newRound: true });
      await s.record(u.actor, 'follow_up_low_score', payload, score);
      await s.email({ kind: 'reopened', to: supervisorsNow(s), detail: u.comment });
      // The technician whose work it was: a failed review comes back to them.
      if (patched(NEXT_ACTOR_TOLD_PATCH))
        await s.email({ kind: 'reopened_assignee', to: { personIds: [view.assigneeId] }, detail: u.comment });
    } else {
      view.followUp = { score, comment: u.comment, at, outcome: 'rated' };
      s.moveTo('closed');
      await s.record(u.actor, 'follow_up_rated', payload, score);
    }
    return view;
  },
};

const withdraw: Step<WithdrawInput> = {
  update: withdrawUpdate,
  validate(s, u) {
    s.guard('withdraw', u.actor);
    requireText(u.reason, { zh: '撤销理由', en: 'reason' });
    // No budget refuses a withdrawal: it is how a case that is full ends (its reason fits the margin).
  },
  async run(s, u) {
    s.view.withdrawal = { reason: u.reason, by: u.actor.id, at: nowIso() };
    s.moveTo('withdrawn');
    const recorded = s.record(u.actor, 'withdrawn', { reason: u.reason });
    // Cases withdrawn before this tell their reporters from the API only.
    if (s.has(REPORTERS_TOLD_PATCH)) s.tellReporters(u.reason);
    await recorded;
    return s.view;
  },
};

const comment: Step<CommentInput> = {
  update: addCommentUpdate,
  validate(s, u) {
    s.guard('comment', u.actor);
    requireText(u.text, { zh: '评论内容', en: 'text' });
    guardBudgets(s, { comment: u.text });
  },
  async run(s, u) {
    s.view.comments.push({ text: u.text, by: u.actor.id, at: nowIso() });
    await s.record(u.actor, 'commented', { text: u.text });
    return s.view;
  },
};

function guardHandling(s: CaseState, step: HandlingStep, u: { actor: Actor }, input?: HandlingInput): void {
  const r = checkHandling(step, u.actor, s.view, s.policy, input);
  if (r) refuse(r);
  // As for every step: the opening run moves the case on its own until it is open.
  if (!s.opened)
    refuse({ kind: 'conflict', message: 'the case is still being opened / 案件正在创建，请稍后再试' });
}

// The steps beside the stages (domain/case-handling.ts decides who may take them): the
// technician's arrival, pauses of the case-level clocks, reassignment and hand-over.

const arrived: Step<ArrivedInput> = {
  update: arrivedUpdate,
  validate: (s, u) => guardHandling(s, 'arrived', u),
  async run(s, u) {
    await s.record(u.actor, 'arrived', { note: u.note, signature: u.signature });
    return s.view;
  },
};

const requestPause: Step<PauseRequestInput> = {
  update: requestPauseUpdate,
  validate(s, u) {
    guardHandling(s, 'request_pause', u, { reason: u.reason, note: u.note });
    guardBudgets(s, { pause: true, texts: [u.note] });
  },
  async run(s, u) {
    const pauses = (s.view.pauses ??= []);
    pauses.push({
      n: pauses.length + 1,
      reason: u.reason,
      note: u.note,
      requestedBy: u.actor.id,
      requestedAt: nowIso(),
      state: 'requested',
    });
    await s.record(u.actor, 'pause_requested', { reason: u.reason, note: u.note });
    // Whoever supervises the building now decides, not only who did when the case opened.
    const { supervisorIds } = await currentRouting(s);
    const label = pauseReasonLabels[u.reason];
    await s.email({
      kind: 'pause_request',
      key: `p${pauses.length}`,
      to: { personIds: supervisorIds },
      detail: `${label.zh} ${label.en}${u.note ? `: ${u.note}` : ''}`,
    });
    return s.view;
  },
};

const decidePause: Step<PauseDecisionInput> = {
  update: decidePauseUpdate,
  validate(s, u) {
    guardHandling(s, 'decide_pause', u, { approve: u.approve });
    guardBudgets(s, { texts: [u.notes] });
  },
  async run(s, u) {
    const p = openPause(s.view.pauses);
    // The validator let the step through only with a pause waiting for a decision.
    if (!p) return refuse({ kind: 'conflict', message: 'no pause is waiting for a decision' });
    const at = nowIso();
    Object.assign(p, {
      state: u.approve ? 'approved' : 'rejected',
      decidedBy: u.actor.id,
      decidedAt: at,
      decisionNotes: u.notes,
      ...(u.approve ? { endsBy: new Date(Date.parse(at) + MAX_PAUSE_MS[p.reason]).toISOString() } : {}),
      // Asked only when a pause is approved, so a case that never pauses carries no marker.
      ...(u.approve && patched(PAUSE_HOLDS_STAGE_PATCH) ? { holdsStage: true } : {}),
      // Asked at the approval too: a pause approved before it moves a working-day stage by clock time.
      ...(u.approve && patched(PAUSE_WORKING_TIME_PATCH) ? { holdsInWorkingTime: true } : {}),
    });
    const payload = { n: p.n, notes: u.notes, endsBy: p.endsBy };
    if (u.approve) await s.record(u.actor, 'pause_approved', payload);
    else await s.record(u.actor, 'pause_rejected', payload);
    // The technician who asked hears the answer (a rejected pause leaves the clocks running).
    // Only cases whose mail goes with their transition tell it: there the mail is part of the
    // same activity, so running cases of the older shapes issue the commands they always did.
    if (s.batched)
      await s.email({
        kind: u.approve ? 'pause_approved' : 'pause_rejected',
        key: `p${p.n}`,
        to: { personIds: [p.requestedBy] },
        due: p.endsBy,
        detail: u.notes,
      });
    return s.view;
  },
};

const endPause: Step<EndPauseInput> = {
  update: endPauseUpdate,
  validate: (s, u) => guardHandling(s, 'end_pause', u),
  async run(s, u) {
    const p = openPause(s.view.pauses);
    if (!p) return refuse({ kind: 'conflict', message: 'no pause is running' });
    Object.assign(p, { state: 'ended', endedAt: nowIso(), endedHow: 'resumed' });
    const due = s.releaseHold(p);
    await s.record(u.actor, 'pause_ended', { n: p.n, how: 'resumed', ...(due ? { due } : {}) });
    // Ended by a supervisor: the technician who asked for it is told the clocks run again.
    if (s.batched && u.actor.id !== p.requestedBy)
      await s.email({
        kind: 'pause_ended',
        key: `p${p.n}`,
        to: { personIds: [p.requestedBy] },
        detail: 'resumed',
      });
    return s.view;
  },
};

/**
 * patched() id: the colleague who takes a case over gets the mail of the step now theirs: the
 * sign-off request with its link when the case waits for their signature, else the assignment
 * with the arrival link while a repair's arrival is still to be recorded. Before, every
 * take-over mailed the plain assignment ("start with the root-cause analysis", no link), and a
 * case reassigned while it waited for sign-off had nobody able to sign until the first
 * reminder. Asked only when a case is reassigned or handed over, so only such cases carry it.
 */
export const TAKE_OVER_MAIL_PATCH = 'take-over-mail-by-stage';

/** What the colleague taking the case over is mailed: the step that now waits on them. */
function takeOverMail(s: CaseState, how: 'reassigned' | 'handed_over', u: ReassignInput): CaseEmail {
  const { view } = s;
  const mail = {
    key: `${how}${view.timeline.length}`,
    to: { personIds: [u.toId] },
    detail: u.reason,
  };
  if (!patched(TAKE_OVER_MAIL_PATCH)) return { kind: 'assigned', ...mail };
  if (view.stage === 'awaiting_signoff' && view.responsibleId === u.toId)
    return { kind: 'signoff_request', ...mail, link: linkForStage('awaiting_signoff') };
  const arrived = view.timeline.some((e) => e.action === 'arrived');
  return { kind: 'assigned', ...mail, ...(arrived ? {} : arrivalLink(s)) };
}

/**
 * patched() id: whoever held a case that a supervisor moves to a colleague is told it is no
 * longer theirs, and to whom it went (links mailed to them for it stopped working). Before,
 * they heard nothing and found out by a link that no longer opened. Not mailed to a holder who
 * handed the case over themselves. Asked only when a case is reassigned or handed over.
 */
export const TAKEN_OFF_MAIL_PATCH = 'taken-off-mail';

/** Reassignment and hand-over move the case to a colleague the same way; only who may differs. */
const moveTo = (how: 'reassigned' | 'handed_over'): Step<ReassignInput>['run'] =>
  async function (s, u) {
    const { view } = s;
    const from = view.assigneeId;
    view.assigneeId = u.toId;
    // Whoever held the case also answered for it until analysis named someone else.
    if (view.responsibleId === from) view.responsibleId = u.toId;
    s.syncSearch();
    const payload = { from, to: u.toId, reason: u.reason };
    if (how === 'reassigned') await s.record(u.actor, 'reassigned', payload);
    else await s.record(u.actor, 'handed_over', payload);
    await s.email(takeOverMail(s, how, u));
    if (from !== u.toId && from !== u.actor.id && patched(TAKEN_OFF_MAIL_PATCH))
      await s.email({
        kind: 'taken_off',
        key: `taken-off${view.timeline.length}`,
        to: { personIds: [from] },
        detail: u.reason,
      });
    // A supervisor who moves a case knows it; one handed over by its holder is news to them.
    if (how === 'handed_over' && patched(NEXT_ACTOR_TOLD_PATCH))
      await s.email({
        kind: 'handed_over',
        key: `handed-over-notice${view.timeline.length}`,
        to: supervisorsNow(s),
        detail: u.reason,
      });
    return view;
  };

const reassign: Step<ReassignInput> = {
  update: reassignUpdate,
  validate(s, u) {
    guardHandling(s, 'reassign', u, { toId: u.toId, note: u.reason });
    guardBudgets(s, { reassignment: true });
  },
  run: moveTo('reassigned'),
};

const handOver: Step<ReassignInput> = {
  update: handOverUpdate,
  validate(s, u) {
    guardHandling(s, 'hand_over', u, { toId: u.toId, note: u.reason });
    guardBudgets(s, { reassignment: true });
  },
  run: moveTo('handed_over'),
};

/** Refuses a step while another one is changing the case (see `CaseState.stepsUnderWay`). */
function guardOneAtATime(s: CaseState): void {
  if (s.stepsUnderWay > 0)
    refuse({
      kind: 'conflict',
      message:
        'another step of this case is being recorded; reload the case and try again / 本案另一项操作正在记录，请刷新后重试',
    });
}

/** Runs a step's handler, counted as under way until its changes to the case are made. */
async function runCounted<I>(s: CaseState, step: Step<I>, u: I): Promise<CaseView> {
  s.stepsUnderWay += 1;
  try {
    return await step.run(s, u);
  } finally {
    s.stepsUnderWay -= 1;
  }
}

function register<I>(s: CaseState, step: Step<I>): void {
  setHandler(
    step.update,
    // Cases opened before the lean-case patch answer with the whole view, as they always did.
    async (u) => {
      if (!s.lean) return runCounted(s, step, u);
      await runCounted(s, step, u);
      if (s.answersWithDeadline) await s.deadlinePlanned();
      // A step answers once its transition is written (or stuck for an admin), as it did when
      // it waited for its own record: whoever reads the stored records next sees it.
      if (s.batched) await s.recorded();
      return s.ack();
    },
    {
      validator: (u) => {
        // The step's own reasons first: a step that is wrong now is wrong after the other one too.
        step.validate(s, u);
        guardOneAtATime(s);
      },
    },
  );
}

/** Registers every human step of the case on its state (before the workflow's first await). */
export function registerSteps(s: CaseState): void {
  register(s, rootCause);
  register(s, signOff);
  register(s, adjudicate);
  register(s, reportRectification);
  register(s, review);
  register(s, followUp);
  register(s, withdraw);
  register(s, comment);
  register(s, arrived);
  register(s, requestPause);
  register(s, decidePause);
  register(s, endPause);
  register(s, reassign);
  register(s, handOver);
}
