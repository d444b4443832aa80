import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { CaseActivities, EmailRequest } from '../../activities/index.ts';
import {
  MAX_COMMENT_LENGTH,
  SYSTEM_ACTOR,
  checkStep,
  isTerminal,
  reporterActorId,
  type Actor,
  type CaseInput,
  type CaseView,
  type DeadlineView,
  type Reporter,
  type Stage,
  type StepName,
  type StepRefusal,
} from '../../domain/case-model.ts';
import { scoreDetail } from '../../domain/kpi.ts';
import type { TimedStage } from '../../domain/sla.ts';
import {
  CaseFailure,
  addCommentUpdate,
  adjudicateUpdate,
  caseViewQuery,
  openedUpdate,
  reportRectificationUpdate,
  reviewUpdate,
  searchKeys,
  signOffUpdate,
  submitFollowUpUpdate,
  submitRootCauseUpdate,
  withdrawUpdate,
} from './messages.ts';

const acts = proxyActivities<CaseActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});
// Deadline arithmetic runs as a local activity so its result (which depends on
// calendar data that changes between deployments) is recorded in history.
const local = proxyLocalActivities<CaseActivities>({ startToCloseTimeout: '30 seconds' });

/** patched() id: the reporter is reminded of the survey during follow-up (added after v1 histories). */
export const SURVEY_REMINDER_PATCH = 'follow-up-survey-reminder';

const HOUR = 3_600_000;
const LEADERSHIP_SECOND_NOTICE_AFTER = 40 * HOUR;

/** One durable workflow per case, from detection to closure. */
export async function rectificationCase(input: CaseInput): Promise<CaseView> {
  const { policy } = input;
  const view: CaseView = {
    caseId: input.caseId,
    title: input.title,
    description: input.description,
    source: input.source,
    severity: input.severity,
    category: input.category,
    location: input.location,
    assigneeId: input.assigneeId,
    responsibleId: input.assigneeId,
    reporter: input.reporter,
    openedBy: input.openedBy.id,
    openedAt: input.openedAt,
    stage: 'detected',
    round: 1,
    failedReviews: 0,
    overdue: false,
    sla: { version: policy.slaVersion, ruleId: policy.slaRuleId, label: policy.slaLabel },
    deadlines: [],
    notices: [],
    signOffs: [],
    rectifications: [],
    reviews: [],
    adjudications: [],
    comments: [],
    timeline: [],
    version: 0,
  };
  // Changes every time the stage (or round) moves: the deadline supervisor
  // watches it to know its stage is over.
  let epoch = 0;
  let opened = false;
  let stepCounter = 0;
  // Effects run one after another in the order the workflow decided them, so
  // the stored record and the audit chain never see steps out of order.
  let effects: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = effects.then(fn);
    effects = next.catch(() => undefined);
    return next;
  };

  const nowIso = () => new Date().toISOString();

  const record = (actor: Actor, action: string, payload: unknown, detail?: string): Promise<unknown> => {
    const at = nowIso();
    view.version += 1;
    view.timeline.push({ at, actorId: actor.id, action, stage: view.stage, round: view.round, detail });
    const snapshot = JSON.parse(JSON.stringify(view)) as CaseView;
    const stepId = `step-${++stepCounter}`;
    return serial(() =>
      acts.recordStep({
        caseId: view.caseId,
        stepId,
        at,
        actor: { id: actor.id, role: actor.roles[0], via: actor.via },
        action,
        payload,
        view: snapshot,
      }),
    );
  };

  const email = (req: Omit<EmailRequest, 'caseId' | 'stage' | 'round' | 'title'>) => {
    // Stage and round are read now, not when the queued effect runs: by then the case may
    // have moved on, and the outbox key (stage, round, kind, key, recipient) would name the
    // wrong stage. The stage entry (epoch) goes into the key too: a stage can be entered
    // twice in one round (a dispute sent back to analysing asks for a second sign-off), and
    // the second sign-off request must not be taken for a retry of the first.
    const { stage, round } = view;
    const key = req.key ? `e${epoch}.${req.key}` : `e${epoch}`;
    return serial(() =>
      acts.sendCaseEmail({ caseId: view.caseId, title: view.title, stage, round, ...req, key }),
    );
  };

  const syncSearch = () => {
    upsertSearchAttributes([
      { key: searchKeys.building, value: view.location.buildingId },
      { key: searchKeys.stage, value: view.stage },
      { key: searchKeys.severity, value: view.severity },
      { key: searchKeys.assignee, value: view.responsibleId },
      { key: searchKeys.overdue, value: view.overdue },
    ]);
  };

  // The deadline of the stage now open, if it was set before the stage moved on. Closing
  // exactly this one (not "the first unclosed") keeps a breach that happened earlier
  // 'breached', with its closedAt, however the stages came and went.
  let openDeadline: DeadlineView | undefined;
  const closeDeadline = (at: string, cancelled: boolean) => {
    view.overdue = false;
    const current = openDeadline;
    openDeadline = undefined;
    if (!current || current.closedAt) return;
    current.closedAt = at;
    // A withdrawn case, or a survey nobody answered, neither met nor missed its deadline.
    if (current.state === 'pending') current.state = cancelled ? 'cancelled' : 'met';
  };

  /** Moves the case to a new stage: closes the old deadline, bumps the epoch. */
  const moveTo = (stage: Stage, opts: { newRound?: boolean; cancelDeadline?: boolean } = {}) => {
    closeDeadline(nowIso(), opts.cancelDeadline === true || stage === 'withdrawn');
    view.stage = stage;
    if (opts.newRound) view.round += 1;
    if (isTerminal(stage)) view.closedAt = nowIso();
    epoch += 1;
    syncSearch();
  };

  const refuse = (r: StepRefusal): never => {
    const type =
      r.kind === 'forbidden'
        ? CaseFailure.Forbidden
        : r.kind === 'conflict'
          ? CaseFailure.Conflict
          : CaseFailure.Invalid;
    throw ApplicationFailure.create({ type, message: r.message, nonRetryable: true });
  };
  const guard = (step: StepName, actor: Actor) => {
    const r = checkStep(step, actor, view, policy);
    if (r) refuse(r);
    // Until the first record and deadline are in, the opening run moves the stage on its own:
    // a step taken now (a withdrawal in 'detected') would be overwritten. Refusing it in the
    // validator leaves no trace in history, so cases already recorded replay unchanged.
    if (!opened)
      refuse({ kind: 'conflict', message: 'the case is still being opened / 案件正在创建，请稍后再试' });
  };
  const requireText = (value: string | undefined, what: string) => {
    if (!value || !value.trim()) refuse({ kind: 'invalid', message: `${what} must not be empty` });
  };
  const peopleOfLevel = (level: string) =>
    policy.escalationChain.find((l) => l.level === level)?.personIds ?? [];
  const workingGroup = () => peopleOfLevel('working_group');

  // --- queries and updates: registered before the first await -------------
  setHandler(caseViewQuery, () => view);

  setHandler(openedUpdate, async () => {
    await condition(() => opened);
    return view;
  });

  setHandler(
    submitRootCauseUpdate,
    async (u) => {
      view.rootCause = {
        causes: u.causes,
        responsibleId: u.responsibleId,
        plan: u.plan,
        whys: u.whys,
        by: u.actor.id,
        at: nowIso(),
      };
      view.responsibleId = u.responsibleId;
      moveTo('awaiting_signoff');
      await record(u.actor, 'root_cause_submitted', view.rootCause);
      await email({
        kind: 'signoff_request',
        to: { personIds: [view.responsibleId] },
        link: { step: 'sign_off', action: 'sign_off' },
      });
      return view;
    },
    {
      validator: (u) => {
        guard('root_cause', u.actor);
        if (u.causes.length === 0 || u.causes.some((c: string) => !c.trim()))
          refuse({ kind: 'invalid', message: 'at least one cause is required' });
        requireText(u.plan, 'plan');
        requireText(u.responsibleId, 'responsibleId');
      },
    },
  );

  setHandler(
    signOffUpdate,
    async (u) => {
      const at = nowIso();
      view.signOffs.push({
        decision: u.decision,
        reason: u.reason,
        by: u.actor.id,
        at,
        round: view.round,
        signature: u.signature,
      });
      if (u.decision === 'confirm') {
        moveTo('rectifying');
        await record(u.actor, 'signed_off', { decision: 'confirm', signature: u.signature });
      } else {
        moveTo('adjudicating');
        await record(u.actor, 'disputed', { reason: u.reason, signature: u.signature });
        await email({
          kind: 'adjudication_request',
          to: { personIds: policy.supervisorIds },
          link: { step: 'adjudication', action: 'adjudicate' },
          detail: u.reason,
        });
      }
      return view;
    },
    {
      validator: (u) => {
        guard('sign_off', u.actor);
        if (u.decision === 'dispute') requireText(u.reason, 'a dispute reason');
      },
    },
  );

  setHandler(
    adjudicateUpdate,
    async (u) => {
      view.adjudications.push({ decision: u.decision, notes: u.notes, by: u.actor.id, at: nowIso() });
      moveTo(u.decision === 'revise' ? 'analysing' : 'rectifying');
      await record(u.actor, 'adjudicated', { decision: u.decision, notes: u.notes, signature: u.signature });
      await email({ kind: 'adjudicated', to: { personIds: [view.responsibleId] }, detail: u.notes });
      return view;
    },
    { validator: (u) => guard('adjudication', u.actor) },
  );

  setHandler(
    reportRectificationUpdate,
    async (u) => {
      view.rectifications.push({
        round: view.round,
        summary: u.summary,
        evidence: u.evidence,
        by: u.actor.id,
        at: nowIso(),
      });
      moveTo('reviewing');
      await record(u.actor, 'rectification_reported', { summary: u.summary, evidence: u.evidence });
      await email({ kind: 'review_request', to: { personIds: policy.supervisorIds } });
      return view;
    },
    {
      validator: (u) => {
        guard('rectification', u.actor);
        requireText(u.summary, 'summary');
      },
    },
  );

  setHandler(
    reviewUpdate,
    async (u) => {
      view.reviews.push({
        round: view.round,
        passed: u.passed,
        notes: u.notes,
        by: u.actor.id,
        at: nowIso(),
      });
      if (u.passed) {
        if (view.reporter) {
          moveTo('follow_up');
          await record(u.actor, 'review_passed', { notes: u.notes });
          await email({
            kind: 'result_and_survey',
            to: { reporter: view.reporter },
            link: { step: 'follow_up', action: 'rate' },
          });
        } else {
          moveTo('closed');
          await record(u.actor, 'review_passed', { notes: u.notes });
          await record(SYSTEM_ACTOR, 'closed', { outcome: 'no_reporter' });
        }
        return view;
      }
      view.failedReviews += 1;
      moveTo('rectifying', { newRound: true });
      await record(u.actor, 'review_failed', { notes: u.notes, failedReviews: view.failedReviews });
      await email({ kind: 'review_failed', to: { personIds: [view.responsibleId] }, detail: u.notes });
      if (view.failedReviews >= policy.maxFailedReviews) {
        const to = workingGroup();
        view.notices.push({
          kind: 'review_escalation',
          stage: view.stage,
          round: view.round,
          at: nowIso(),
          level: 'working_group',
          to,
        });
        await record(SYSTEM_ACTOR, 'review_escalated', { failedReviews: view.failedReviews, to });
        await email({ kind: 'review_escalation', to: { personIds: to }, detail: u.notes });
      }
      return view;
    },
    {
      validator: (u) => {
        guard('review', u.actor);
        if (!u.passed) requireText(u.notes, 'notes on a failed review');
      },
    },
  );

  setHandler(
    submitFollowUpUpdate,
    async (u) => {
      const at = nowIso();
      if (u.score < 3) {
        view.followUp = { score: u.score, comment: u.comment, at, outcome: 'reopened' };
        moveTo('reviewing', { newRound: true });
        // The score also goes into the timeline: the view's followUp is overwritten by the next round.
        await record(
          u.actor,
          'follow_up_low_score',
          { score: u.score, comment: u.comment, signature: u.signature },
          scoreDetail(u.score),
        );
        await email({ kind: 'reopened', to: { personIds: policy.supervisorIds }, detail: u.comment });
      } else {
        view.followUp = { score: u.score, comment: u.comment, at, outcome: 'rated' };
        moveTo('closed');
        await record(
          u.actor,
          'follow_up_rated',
          { score: u.score, comment: u.comment, signature: u.signature },
          scoreDetail(u.score),
        );
      }
      return view;
    },
    {
      validator: (u) => {
        guard('follow_up', u.actor);
        if (!Number.isInteger(u.score) || u.score < 1 || u.score > 5)
          refuse({ kind: 'invalid', message: 'score must be a whole number from 1 to 5' });
      },
    },
  );

  setHandler(
    withdrawUpdate,
    async (u) => {
      view.withdrawal = { reason: u.reason, by: u.actor.id, at: nowIso() };
      moveTo('withdrawn');
      await record(u.actor, 'withdrawn', { reason: u.reason });
      return view;
    },
    {
      validator: (u) => {
        guard('withdraw', u.actor);
        requireText(u.reason, 'reason');
      },
    },
  );

  setHandler(
    addCommentUpdate,
    async (u) => {
      view.comments.push({ text: u.text, by: u.actor.id, at: nowIso() });
      await record(u.actor, 'commented', { text: u.text });
      return view;
    },
    {
      validator: (u) => {
        guard('comment', u.actor);
        requireText(u.text, 'text');
        if (u.text.length > MAX_COMMENT_LENGTH)
          refuse({
            kind: 'invalid',
            message: `a comment may have at most ${MAX_COMMENT_LENGTH} characters; this one has ${u.text.length}`,
          });
      },
    },
  );

  // --- the case's own timeline ---------------------------------------------
  syncSearch();
  await record(input.openedBy, 'detected', {
    source: input.source,
    severity: input.severity,
    category: input.category,
    location: input.location,
    assigneeId: input.assigneeId,
    sla: { version: policy.slaVersion, ruleId: policy.slaRuleId },
  });
  moveTo('analysing');
  // Runs beside the stages: leadership hears of a major case at once, not when analysis ends.
  const leadership = input.severity === 'major' ? watchLeadership() : Promise.resolve();
  // Bounded: every pass is one stage, and stages move only on a human step or a follow-up
  // timeout; each pass sends a fixed number of reminders and at most one escalation per rung
  // of the (finite) chain, then waits without a timer. Comments are capped (MAX_COMMENTS).
  for (let first = true; !isTerminal(view.stage); first = false) {
    await superviseStage(first);
  }
  await leadership;
  await condition(allHandlersFinished);
  await effects;
  return view;

  /**
   * Watches one stage: computes its deadline, sends reminders before it and
   * escalates up the grid at and after the breach, until the stage moves.
   * `announce` lets the first stage open the case (assignment email, 201).
   */
  async function superviseStage(announce: boolean): Promise<void> {
    const stage = view.stage as TimedStage;
    const myEpoch = epoch;
    const moved = () => epoch !== myEpoch;
    const startedAt = nowIso();
    const plan = await local.planDeadline({
      start: startedAt,
      duration: policy.stageDurations[stage],
      timeZone: policy.timeZone,
      fractions: policy.reminderFractions,
    });
    const deadline: DeadlineView = {
      stage,
      round: view.round,
      startedAt,
      due: plan.due,
      approximate: plan.approximate,
      calendarVersion: plan.calendarVersion,
      state: 'pending',
    };
    view.sla.calendarVersion = plan.calendarVersion;
    if (!moved()) {
      view.deadlines.push(deadline);
      openDeadline = deadline;
    }
    if (announce) {
      await record(input.openedBy, 'assigned', {
        assigneeId: view.assigneeId,
        due: plan.due,
        approximate: plan.approximate,
      });
      opened = true;
      await email({ kind: 'assigned', to: { personIds: [view.assigneeId] }, due: plan.due });
    } else if (!moved()) {
      await record(SYSTEM_ACTOR, 'deadline_set', {
        stage,
        round: view.round,
        due: plan.due,
        approximate: plan.approximate,
      });
    }
    const waitUntil = (iso: string) => condition(moved, Math.max(1, Date.parse(iso) - Date.now()));

    for (const [i, at] of plan.reminders.entries()) {
      if (await waitUntil(at)) return;
      if (stage === 'follow_up') {
        // The reporter is the one to act in follow-up; cases recorded before this change
        // reminded nobody here, and replay them that way.
        if (view.reporter && patched(SURVEY_REMINDER_PATCH)) await remindReporter(view.reporter, i, plan.due);
        continue;
      }
      const to = stageOwners(stage);
      if (to.length === 0) continue;
      view.notices.push({ kind: 'reminder', stage, round: view.round, at: nowIso(), to });
      await record(SYSTEM_ACTOR, 'reminder_sent', { stage, to });
      await email({
        kind: 'reminder',
        key: `r${i + 1}`,
        to: { personIds: to },
        due: plan.due,
        link: linkForStage(stage),
      });
    }
    if (await waitUntil(plan.due)) return;

    if (stage === 'follow_up') {
      view.followUp = { at: nowIso(), outcome: 'unrated' };
      moveTo('closed', { cancelDeadline: true });
      await record(SYSTEM_ACTOR, 'closed_unrated', { after: policy.stageDurations.follow_up });
      return;
    }
    deadline.state = 'breached';
    deadline.breachedAt = nowIso();
    view.overdue = true;
    syncSearch();
    await record(SYSTEM_ACTOR, 'deadline_breached', { stage, round: view.round, due: plan.due });
    const period = Math.max(HOUR, Date.parse(plan.due) - Date.parse(startedAt));
    for (const level of policy.escalationChain) {
      view.notices.push({
        kind: 'escalation',
        stage,
        round: view.round,
        at: nowIso(),
        level: level.level,
        to: level.personIds,
      });
      await record(SYSTEM_ACTOR, 'escalated', { stage, level: level.level, to: level.personIds });
      await email({
        kind: 'escalation',
        key: level.level,
        to: { personIds: level.personIds },
        due: plan.due,
        detail: level.level,
      });
      if (await condition(moved, period)) return;
    }
    await condition(moved);
  }

  /** The survey again, with its rating link, before the follow-up window closes unrated. */
  async function remindReporter(reporter: Reporter, i: number, due: string): Promise<void> {
    const to = [reporterActorId(reporter) ?? reporter.email];
    view.notices.push({ kind: 'reminder', stage: 'follow_up', round: view.round, at: nowIso(), to });
    await record(SYSTEM_ACTOR, 'reminder_sent', { stage: 'follow_up', to });
    await email({
      kind: 'result_and_survey',
      key: `r${i + 1}`,
      to: { reporter },
      due,
      link: { step: 'follow_up', action: 'rate' },
    });
  }

  /** Major problems reach leadership at once and again before 48 hours pass (seed 002). */
  async function watchLeadership(): Promise<void> {
    const to = peopleOfLevel('leadership');
    if (to.length === 0) return;
    // After the case is open, so the chain reads detected → assigned → leadership_notified.
    await condition(() => opened);
    const openedMs = Date.now();
    const notify = async (n: number) => {
      view.notices.push({
        kind: 'leadership_notice',
        stage: view.stage,
        round: view.round,
        at: nowIso(),
        level: 'leadership',
        to,
      });
      await record(SYSTEM_ACTOR, 'leadership_notified', { notice: n, to });
      await email({ kind: 'leadership_notice', key: `n${n}`, to: { personIds: to } });
    };
    await notify(1);
    // The second notice goes 8 hours before the 48-hour limit unless the case is done,
    // counted from the opening, not from when the first email went out.
    const second = openedMs + LEADERSHIP_SECOND_NOTICE_AFTER - Date.now();
    if (await condition(() => isTerminal(view.stage), Math.max(1, second))) return;
    await notify(2);
  }

  function stageOwners(stage: TimedStage): string[] {
    switch (stage) {
      case 'analysing':
        return [view.assigneeId];
      case 'awaiting_signoff':
      case 'rectifying':
        return [view.responsibleId];
      case 'adjudicating':
      case 'reviewing':
        return policy.supervisorIds;
      case 'follow_up':
        return [];
    }
  }

  function linkForStage(stage: TimedStage): EmailRequest['link'] {
    if (stage === 'awaiting_signoff') return { step: 'sign_off', action: 'sign_off' };
    if (stage === 'adjudicating') return { step: 'adjudication', action: 'adjudicate' };
    return undefined;
  }
}
