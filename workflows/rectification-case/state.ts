import { ApplicationFailure, upsertSearchAttributes } from '@temporalio/workflow';
import type { CaseActivities, EmailRequest } from '../../activities/index.ts';
import type { CaseAction, SurveyScore } from '../../domain/case-action.ts';
import {
  checkStep,
  isTerminal,
  type Actor,
  type CaseInput,
  type CasePolicy,
  type CaseView,
  type DeadlineView,
  type NoticeView,
  type Stage,
  type StepName,
  type StepRefusal,
} from '../../domain/case-model.ts';
import { CaseFailure } from './messages.ts';
import { searchKeys } from './search-attributes.ts';

/** The activities a case's state writes through: its record with the audit entry, and its emails. */
export type CaseEffects = Pick<CaseActivities, 'recordStep' | 'sendCaseEmail'>;
/** An email as a step or a deadline asks for it; the state adds the case, stage and round. */
export type CaseEmail = Omit<EmailRequest, 'caseId' | 'stage' | 'round' | 'title'>;

const nowIso = () => new Date().toISOString();

/** Throws the typed, non-retryable failure the API maps to 403, 409 or 422. */
export function refuse(r: StepRefusal): never {
  const type =
    r.kind === 'forbidden'
      ? CaseFailure.Forbidden
      : r.kind === 'conflict'
        ? CaseFailure.Conflict
        : CaseFailure.Invalid;
  throw ApplicationFailure.create({ type, message: r.message, nonRetryable: true });
}

export function requireText(value: string | undefined, what: string): void {
  if (!value || !value.trim()) refuse({ kind: 'invalid', message: `${what} must not be empty` });
}

/**
 * The state of one case: the view everyone reads, its stage moves, its deadline
 * bookkeeping and the ordered queue of its effects. Steps and deadlines change the case
 * only through it; the decisions themselves come from domain/.
 */
export class CaseState {
  readonly view: CaseView;
  readonly policy: CasePolicy;
  /**
   * Changes every time the stage (or round) moves: the deadline supervisor watches it to
   * know its stage is over.
   */
  epoch = 0;
  /** Set once the first record and deadline are in (what `opened` waits for). */
  opened = false;
  private stepCounter = 0;
  // Effects run one after another in the order the workflow decided them, so the stored
  // record and the audit chain never see steps out of order.
  private effects: Promise<unknown> = Promise.resolve();
  // The deadline of the stage now open, if it was set before the stage moved on. Closing
  // exactly this one (not "the first unclosed") keeps a breach that happened earlier
  // 'breached', with its closedAt, however the stages came and went.
  private openDeadline: DeadlineView | undefined;

  constructor(
    readonly input: CaseInput,
    private readonly acts: CaseEffects,
  ) {
    const { policy } = input;
    this.policy = policy;
    this.view = {
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
  }

  /** Resolves once every queued effect has run. */
  settled(): Promise<unknown> {
    return this.effects;
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.effects.then(fn);
    this.effects = next.catch(() => undefined);
    return next;
  }

  /** Adds a timeline entry and queues its write (case record and audit entry together). */
  record(actor: Actor, action: CaseAction, payload: unknown, score?: SurveyScore): Promise<unknown> {
    const { view } = this;
    const at = nowIso();
    view.version += 1;
    view.timeline.push({
      at,
      actorId: actor.id,
      action,
      stage: view.stage,
      round: view.round,
      ...(score === undefined ? {} : { score }),
    });
    const snapshot = JSON.parse(JSON.stringify(view)) as CaseView;
    const stepId = `step-${++this.stepCounter}`;
    return this.serial(() =>
      this.acts.recordStep({
        caseId: view.caseId,
        stepId,
        at,
        actor: { id: actor.id, role: actor.roles[0], via: actor.via },
        action,
        payload,
        view: snapshot,
      }),
    );
  }

  /** Queues an email (sent once: the outbox keys it by stage, round, stage entry and key). */
  email(req: CaseEmail): Promise<unknown> {
    // Stage and round are read now, not when the queued effect runs: by then the case may
    // have moved on, and the outbox key (stage, round, kind, key, recipient) would name the
    // wrong stage. The stage entry (epoch) goes into the key too: a stage can be entered
    // twice in one round (a dispute sent back to analysing asks for a second sign-off), and
    // the second sign-off request must not be taken for a retry of the first.
    const { stage, round, caseId, title } = this.view;
    const key = req.key ? `e${this.epoch}.${req.key}` : `e${this.epoch}`;
    return this.serial(() => this.acts.sendCaseEmail({ caseId, title, stage, round, ...req, key }));
  }

  /** Notes in the view who was told what, in the stage and round the case is in now. */
  notice(kind: NoticeView['kind'], to: string[], level?: string): void {
    const { view } = this;
    view.notices.push({
      kind,
      stage: view.stage,
      round: view.round,
      at: nowIso(),
      ...(level ? { level } : {}),
      to,
    });
  }

  syncSearch(): void {
    const { view } = this;
    upsertSearchAttributes([
      { key: searchKeys.building, value: view.location.buildingId },
      { key: searchKeys.stage, value: view.stage },
      { key: searchKeys.severity, value: view.severity },
      { key: searchKeys.assignee, value: view.responsibleId },
      { key: searchKeys.overdue, value: view.overdue },
    ]);
  }

  /** Moves the case to a new stage: closes the old deadline, bumps the epoch. */
  moveTo(stage: Stage, opts: { newRound?: boolean; cancelDeadline?: boolean } = {}): void {
    this.closeDeadline(nowIso(), opts.cancelDeadline === true || stage === 'withdrawn');
    this.view.stage = stage;
    if (opts.newRound) this.view.round += 1;
    if (isTerminal(stage)) this.view.closedAt = nowIso();
    this.epoch += 1;
    this.syncSearch();
  }

  private closeDeadline(at: string, cancelled: boolean): void {
    this.view.overdue = false;
    const current = this.openDeadline;
    this.openDeadline = undefined;
    if (!current || current.closedAt) return;
    current.closedAt = at;
    // A withdrawn case, or a survey nobody answered, neither met nor missed its deadline.
    if (current.state === 'pending') current.state = cancelled ? 'cancelled' : 'met';
  }

  /** Whether the stage entered at `epoch` is over. */
  movedSince(epoch: number): boolean {
    return this.epoch !== epoch;
  }

  /** Takes a newly planned deadline in, unless its stage ended while it was being planned. */
  setDeadline(deadline: DeadlineView, enteredAt: number): void {
    this.view.sla.calendarVersion = deadline.calendarVersion;
    if (this.movedSince(enteredAt)) return;
    this.view.deadlines.push(deadline);
    this.openDeadline = deadline;
  }

  /** Marks the stage's deadline missed: the case is overdue until its stage moves. */
  breach(deadline: DeadlineView): void {
    deadline.state = 'breached';
    deadline.breachedAt = nowIso();
    this.view.overdue = true;
    this.syncSearch();
  }

  /** Refuses a step in the update's validator: not allowed now, or the case is still opening. */
  guard(step: StepName, actor: Actor): void {
    const r = checkStep(step, actor, this.view, this.policy);
    if (r) refuse(r);
    // Until the first record and deadline are in, the opening run moves the stage on its own:
    // a step taken now (a withdrawal in 'detected') would be overwritten. Refusing it in the
    // validator leaves no trace in history, so cases already recorded replay unchanged.
    if (!this.opened)
      refuse({ kind: 'conflict', message: 'the case is still being opened / 案件正在创建，请稍后再试' });
  }
}
