import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  patched,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type {
  CaseActivities,
  EmailRequest,
  PlanDeadlineResult,
  TransitionResult,
} from '../../activities/index.ts';
import type { WorkingCalendar } from '../../domain/calendar.ts';
import type { Bilingual } from '../../domain/text.ts';
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
  SYSTEM_ACTOR,
} from '../../domain/case-model.ts';
import { LEGACY_BUDGETS, isBudgetRefusal, type CaseBudgets } from '../../domain/case-budgets.ts';
import { approximateDeadlineNote } from '../../domain/calendar-note.ts';
import { workingOptions } from '../../domain/deadline-plan.ts';
import type { WorkingTimeOptions } from '../../domain/working-time.ts';
import {
  heldDue,
  openPause,
  dueAfterHolds,
  pauseHolds,
  pauseSpan,
  stageOnHold,
  type PauseRecord,
} from '../../domain/case-clocks.ts';
import { EffectFailure, type StuckEffect } from '../../domain/effect-failure.ts';
import { viewDelta } from '../../domain/view-delta.ts';
import { CaseFailure, type StepAck } from './messages.ts';
import { searchKeys } from './search-attributes.ts';

/** The activities a case's state writes through: its record with the audit entry, and its emails. */
export type CaseEffects = Pick<
  CaseActivities,
  'recordStep' | 'applyTransition' | 'sendCaseEmail' | 'tellReporters'
>;
/** An email as a step or a deadline asks for it; the state adds the case, stage and round. */
export type CaseEmail = Omit<EmailRequest, 'caseId' | 'stage' | 'round' | 'title'>;

const nowIso = () => new Date().toISOString();

type RecordInput = Parameters<CaseEffects['recordStep']>[0];
type RecordEntry = Omit<RecordInput, 'view' | 'change'>;
/** A record as the workflow decided it: its audit entry and the view it leaves. */
interface DecidedRecord {
  entry: RecordEntry;
  snapshot: CaseView;
}
/** What a transition decided and has not sent yet. */
interface Transition {
  records: DecidedRecord[];
  mails: EmailRequest[];
}

/** Whether an activity failed with the typed failure `type`. */
function failedWith(err: unknown, type: string): boolean {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  return cause instanceof ApplicationFailure && cause.type === type;
}

/**
 * patched() id: a step's record carries the change since the last record written
 * (domain/view-delta.ts), not the whole view, and a step answers with a small acknowledgement
 * (`StepAck`), not the whole view; before, every record's input and every update's result held
 * the whole view, and a case's history grew with the square of its steps.
 */
export const LEAN_CASE_PATCH = 'lean-case';

/**
 * patched() id: one marker stands for every patch before it. A new case takes this marker
 * alone and asks none of the older ones: each marker cost two events (the SDK upserts
 * TemporalChangeVersion beside it) and a billable action, and a case took seven. A step also
 * answers once its new stage's deadline is planned, so its acknowledgement always carries it.
 * Cases opened before it ask each older patch where they always did.
 */
export const LEAN_EFFECTS_PATCH = 'lean-effects';

/**
 * patched() id: the records and mail of one transition (a step with the next stage's
 * deadline_set, a reminder, a breach) go out in one activity once the new stage's deadline
 * is planned, instead of one activity per record and per mail, each with its own workflow
 * task. A new case takes this marker alone; it stands for every patch before it.
 */
export const TRANSITION_EFFECTS_PATCH = 'transition-effects';

/** Throws the typed, non-retryable failure the API maps to 403, 409 or 422. */
export function refuse(r: StepRefusal): never {
  const type =
    r.kind === 'forbidden'
      ? CaseFailure.Forbidden
      : r.kind === 'conflict'
        ? CaseFailure.Conflict
        : CaseFailure.Invalid;
  // A budget refusal carries its name and both languages, for the API's problem in the caller's language.
  const details = isBudgetRefusal(r)
    ? [{ budget: r.budget, limit: r.limit, zh: r.text.zh, en: r.text.en }]
    : [];
  throw ApplicationFailure.create({ type, message: r.message, nonRetryable: true, details });
}

/** A validator's refusal of an empty text, "English / 中文" as every refusal is written. */
export function requireText(value: string | undefined, what: Bilingual): void {
  if (!value || !value.trim())
    refuse({ kind: 'invalid', message: `${what.en} must not be empty / ${what.zh}不能为空` });
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
  /**
   * Human steps whose handler has begun and not yet finished changing the case. Several updates
   * delivered together run their validators before the first handler gets past an `await`, so a
   * validator that let a second step through while one is under way would judge a stage and
   * budgets about to change. Read only by validators: no command depends on it.
   */
  stepsUnderWay = 0;
  private stepCounter = 0;
  // Effects run one after another in the order the workflow decided them, so the stored
  // record and the audit chain never see steps out of order.
  private effects: Promise<unknown> = Promise.resolve();
  // The deadline of the stage now open, if it was set before the stage moved on. Closing
  // exactly this one (not "the first unclosed") keeps a breach that happened earlier
  // 'breached', with its closedAt, however the stages came and went.
  private openDeadline: DeadlineView | undefined;
  /**
   * Behind EFFECT_FAILURES_PATCH: an effect that failed for good is kept as stuck (timeline,
   * search attribute, the admins told) instead of failing its step, and mail runs on a chain
   * of its own so it never holds up the records.
   */
  namedFailures = false;
  private mailEffects: Promise<unknown> = Promise.resolve();
  private pending = 0;
  private stuckCounter = 0;
  private readonly retries = new Map<string, () => Promise<unknown>>();
  /**
   * Behind STEP_LINEAGE_PATCH: the run lineage step ids start with (first run id, and the
   * run id after a reset), so a reset run's restarted counter never reuses an abandoned
   * run's step ids; the audit store then compares a step id found again by content.
   */
  stepLineage: string | undefined;
  /**
   * Behind LEAN_CASE_PATCH: a record carries what its step changed since the last record
   * written, not the whole view (`written` is that last record's view); a step answers `ack()`.
   */
  lean = false;
  private written: CaseView | undefined;
  private readonly searched = new Map<string, string | boolean>();
  /**
   * Whether the case takes a patch: all of them behind LEAN_EFFECTS_PATCH, without asking (so
   * no marker each); before it, patched() where the case always asked.
   */
  has: (patchId: string) => boolean = patched;
  /**
   * Behind LEAN_EFFECTS_PATCH: a step answers once its new stage's deadline is planned, so the
   * acknowledgement carries it whatever order the record's activity and the plan finish in.
   */
  answersWithDeadline = false;
  // The stage entry (epoch) whose deadline is planned.
  private plannedEpoch = -1;
  /**
   * Behind TRANSITION_EFFECTS_PATCH: records and mail wait in `pendingTransition` and go out
   * together, once no stage waits for its deadline (so a step's record and its next stage's
   * deadline_set travel in one activity).
   */
  batched = false;
  private awaitingPlan = false;
  /** Step mails state the deadline of the stage they ask their reader to act in (cases opened since). */
  mailsStateDue = false;
  private pendingTransition: Transition = { records: [], mails: [] };
  private recordsDecided = 0;
  /** The first stage's deadline, planned with the case's clocks (TRANSITION_EFFECTS_PATCH). */
  earlyPlan: { startedAt: string; plan: PlanDeadlineResult } | undefined;
  private recordsDone = 0;
  /** The calendar the case pinned (`CaseInput.calendar`); without it, the worker plans each deadline. */
  calendar: WorkingCalendar | undefined;
  /** The newest calendar version saved on the admin page the case took (`calendarChanged`); 0: its pin's. */
  calendarSaved = 0;
  /** Bumped by each calendar change the case takes: the stage watching its deadline recounts it. */
  calendarChanges = 0;
  /**
   * Left by a stage's watch that stopped for a calendar change: the deadline it watched (recounted
   * by then) and the first reminder it had not sent, so the watch taken up again re-plans the rest.
   */
  recountFrom: { deadline: DeadlineView; nextReminder: number } | undefined;
  /** The budgets the case pinned (CASE_BUDGETS_PATCH); cases opened before keep the legacy caps. */
  budgets: CaseBudgets = LEGACY_BUDGETS;

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
      // The clocks run from the report: the view says when it was (state only, no command).
      ...(input.reportedAt && input.reportedAt !== input.openedAt ? { reportedAt: input.reportedAt } : {}),
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

  /**
   * Resolves once every queued effect has run; with named failures, also once no effect
   * waits for an admin (a closed case stays open to their retry or dismissal until then).
   */
  settled(): Promise<unknown> {
    if (this.namedFailures)
      return condition(() => this.pending === 0 && this.nothingPending() && !this.view.stuck?.length);
    return this.effects;
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.effects.then(fn);
    this.effects = next.catch(() => undefined);
    return next;
  }

  private mailSerial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.mailEffects.then(fn);
    this.mailEffects = next.catch(() => undefined);
    return next;
  }

  /**
   * Runs an effect on its chain; a permanent failure (or a transient one past its bound)
   * becomes a stuck effect the admins can retry. `quiet`: the effect is itself the notice of
   * a stuck one, so its own failure is kept without telling anyone again (no loop).
   */
  private tracked(
    kind: StuckEffect['kind'],
    what: string,
    run: () => Promise<unknown>,
    quiet: boolean,
  ): Promise<unknown> {
    const chain = kind === 'email' ? this.mailSerial.bind(this) : this.serial.bind(this);
    const attempt = (): Promise<unknown> => {
      this.pending += 1;
      return chain(run)
        .catch((err: unknown) => this.stick(kind, what, err, attempt, quiet))
        .finally(() => {
          this.pending -= 1;
        });
    };
    return attempt();
  }

  private stick(
    kind: StuckEffect['kind'],
    what: string,
    err: unknown,
    retry: () => Promise<unknown>,
    quiet: boolean,
  ): void {
    const cause = err instanceof ActivityFailure ? err.cause : err;
    const reason =
      cause instanceof ApplicationFailure && cause.nonRetryable && cause.type
        ? cause.type
        : EffectFailure.RetriesExhausted;
    const message = (cause instanceof Error ? cause.message : String(cause)).slice(0, 500);
    const id = `x${++this.stuckCounter}`;
    (this.view.stuck ??= []).push({ id, kind, reason, message, at: nowIso(), what });
    this.retries.set(id, retry);
    this.syncStuck();
    if (quiet) return;
    void this.tracked(
      'record',
      'effect_failed',
      this.recordWrite(SYSTEM_ACTOR, 'effect_failed', { id, kind, what, reason, message }),
      true,
    );
    void this.tracked(
      'email',
      'effect_stuck',
      this.emailSend({
        kind: 'effect_stuck',
        key: `stuck-${id}`,
        to: { admins: true },
        detail: `${what}: ${reason}`,
      }),
      true,
    );
  }

  /** Keeps the Stuck search attribute to the first waiting effect's reason, or removes it. */
  syncStuck(): void {
    upsertSearchAttributes([{ key: searchKeys.stuck, value: this.view.stuck?.[0]?.reason ?? null }]);
  }

  /** Takes a stuck effect off the list: to run it again (`retry`), or for good. */
  unstick(id: string): (() => Promise<unknown>) | undefined {
    const retry = this.retries.get(id);
    if (!retry || !this.view.stuck) return undefined;
    this.retries.delete(id);
    this.view.stuck = this.view.stuck.filter((e) => e.id !== id);
    this.syncStuck();
    return retry;
  }

  /** Adds a timeline entry and queues its write (case record and audit entry together). */
  record(actor: Actor, action: CaseAction, payload: unknown, score?: SurveyScore): Promise<unknown> {
    if (this.batched) {
      // Nobody waits for it: it goes out with the rest of its transition (see recorded()).
      this.pendingTransition.records.push(this.decideRecord(actor, action, payload, score));
      this.recordsDecided += 1;
      return Promise.resolve();
    }
    const write = this.recordWrite(actor, action, payload, score);
    if (this.namedFailures) return this.tracked('record', action, write, false);
    return this.serial(write);
  }

  // Changes the view now and returns the write of the record it leaves (run when its turn comes).
  private recordWrite(
    actor: Actor,
    action: CaseAction,
    payload: unknown,
    score?: SurveyScore,
  ): () => Promise<unknown> {
    const { entry, snapshot } = this.decideRecord(actor, action, payload, score);
    if (!this.lean) return () => this.acts.recordStep({ ...entry, view: snapshot });
    return () => this.leanWrite(entry, snapshot);
  }

  // Adds the timeline entry now; the step id and content are fixed here, whenever they are written.
  private decideRecord(
    actor: Actor,
    action: CaseAction,
    payload: unknown,
    score?: SurveyScore,
  ): DecidedRecord {
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
    const lineage = this.stepLineage;
    const stepId = lineage ? `${lineage}:step-${++this.stepCounter}` : `step-${++this.stepCounter}`;
    const entry = {
      caseId: view.caseId,
      stepId,
      at,
      actor: { id: actor.id, role: actor.roles[0], via: actor.via },
      action,
      payload,
      ...(lineage ? { checkContent: true, lineage } : {}),
    };
    return { entry, snapshot };
  }

  private nothingPending(): boolean {
    return this.pendingTransition.records.length === 0 && this.pendingTransition.mails.length === 0;
  }

  /**
   * Behind TRANSITION_EFFECTS_PATCH, for the case's whole life: sends what is pending as one
   * transition whenever no stage waits for its deadline.
   */
  async sendTransitions(): Promise<void> {
    const ready = () => !this.awaitingPlan && !this.nothingPending();
    for (;;) {
      await condition(ready);
      // The SDK may look at conditions between one job and the code its awaits resume: by the
      // time this runs, that code may have moved the stage (the opening's first record does).
      if (!ready()) continue;
      const t = this.pendingTransition;
      this.pendingTransition = { records: [], mails: [] };
      if (this.mailsStateDue) this.stateStageDue(t.mails);
      if (t.records.length === 0) {
        this.mailSeparately(t.mails);
        continue;
      }
      const what = t.records.map((r) => r.entry.action).join('+');
      void this.tracked('record', what, () => this.transitionWrite(t), false).finally(() => {
        this.recordsDone += t.records.length;
      });
    }
  }

  /**
   * A step's mail is decided before its new stage's deadline is planned; by the time its
   * transition goes out the deadline is in, and the mail states it (cases opened since).
   */
  private stateStageDue(mails: EmailRequest[]): void {
    const d = this.openDeadline;
    // A deadline already missed is not one to ask anyone to meet.
    if (!d || d.state !== 'pending') return;
    for (const m of mails) if (!m.due && m.stage === d.stage && m.round === d.round) m.stageDue = d.due;
  }

  /** Resolves once every record decided so far is written, or stuck waiting for an admin. */
  recorded(): Promise<void> {
    const target = this.recordsDecided;
    return condition(() => this.recordsDone >= target);
  }

  /**
   * Writes a transition's records and sends its mail, in one activity. A mail the activity
   * could not send goes on the mail queue; when the records fail, all their mail does, so a
   * record waiting for an admin never holds up who must be told.
   */
  private async transitionWrite(t: Transition): Promise<TransitionResult> {
    let result: TransitionResult;
    try {
      result = await this.transitionRecords(t);
    } catch (err) {
      this.mailSeparately(t.mails.splice(0));
      throw err;
    }
    this.mailSeparately(result.deferred.flatMap((d) => t.mails[d.index] ?? []));
    t.mails = [];
    return result;
  }

  /**
   * The records of a transition as leanWrite writes one: the last carries the change since the
   * last record written (the ones before it are entries alone), the opening's are whole views,
   * and a transition overtaken by a newer record (a stuck one retried late) appends its entries.
   */
  private async transitionRecords(t: Transition): Promise<TransitionResult> {
    const send = (records: RecordInput[]) => this.acts.applyTransition({ records, mails: t.mails });
    const base = this.written;
    const last = t.records.at(-1);
    const entries = t.records.map((r) => r.entry);
    if (!last || (base && last.snapshot.version <= base.version)) return send(entries);
    const before = entries.slice(0, -1);
    let result: TransitionResult;
    if (!base) result = await send(t.records.map((r) => ({ ...r.entry, view: r.snapshot })));
    else {
      try {
        result = await send([...before, { ...last.entry, change: viewDelta(base, last.snapshot) }]);
      } catch (err) {
        if (!failedWith(err, EffectFailure.RecordBase)) throw err;
        result = await send([...before, { ...last.entry, view: last.snapshot }]);
      }
    }
    this.written = last.snapshot;
    return result;
  }

  private mailSeparately(mails: EmailRequest[]): void {
    for (const mail of mails)
      void this.tracked('email', mail.kind, () => this.acts.sendCaseEmail(mail), false);
  }

  /**
   * Writes a record as the change since the last one written (decided when its turn comes, so
   * a record that went stuck before it is folded in). A record already overtaken (a stuck one
   * retried late) appends its entry alone; a record not at the change's base (a reset run)
   * takes the whole view.
   */
  private async leanWrite(entry: RecordEntry, snapshot: CaseView): Promise<unknown> {
    const base = this.written;
    if (base && snapshot.version <= base.version) return this.acts.recordStep(entry);
    let result: unknown;
    if (!base) result = await this.acts.recordStep({ ...entry, view: snapshot });
    else {
      try {
        result = await this.acts.recordStep({ ...entry, change: viewDelta(base, snapshot) });
      } catch (err) {
        if (!failedWith(err, EffectFailure.RecordBase)) throw err;
        result = await this.acts.recordStep({ ...entry, view: snapshot });
      }
    }
    this.written = snapshot;
    return result;
  }

  /** The first stage's deadline planned early, once (then each stage plans its own). */
  takeEarlyPlan(): { startedAt: string; plan: PlanDeadlineResult } | undefined {
    const early = this.earlyPlan;
    this.earlyPlan = undefined;
    return early;
  }

  /** Resolves when the stage the case is in has its deadline, or has none to have (closed, withdrawn). */
  deadlinePlanned(): Promise<void> {
    return condition(() => isTerminal(this.view.stage) || this.plannedEpoch === this.epoch);
  }

  /** What a step answers behind LEAN_CASE_PATCH: where the case is now, and when its stage is due. */
  ack(): StepAck {
    const { caseId, stage, round, version } = this.view;
    const due = this.openDeadline?.due;
    return { caseId, stage, round, version, ...(due ? { due } : {}) };
  }

  /** Queues an email (sent once: the outbox keys it by stage, round, stage entry and key). */
  email(req: CaseEmail): Promise<unknown> {
    if (this.batched) {
      this.pendingTransition.mails.push(this.emailRequest(req));
      return Promise.resolve(undefined);
    }
    const send = this.emailSend(req);
    // With named failures a step does not wait for its mail: a mail still retrying (or one
    // that will fail) never holds up the step's answer or the next step's records.
    if (this.namedFailures) {
      void this.tracked('email', req.kind, send, false);
      return Promise.resolve(undefined);
    }
    return this.serial(send);
  }

  /**
   * Queues the withdrawal notice to the case's reporters (REPORTERS_TOLD_PATCH) on the mail
   * chain: like any mail, it never holds up the step, and one that fails for good is stuck.
   */
  tellReporters(reason: string): void {
    const send = () => this.acts.tellReporters({ caseId: this.view.caseId, reason });
    if (this.namedFailures) void this.tracked('email', 'reporters_withdrawn', send, false);
    else void this.serial(send);
  }

  private emailSend(req: CaseEmail): () => Promise<unknown> {
    const mail = this.emailRequest(req);
    return () => this.acts.sendCaseEmail(mail);
  }

  private emailRequest(req: CaseEmail): EmailRequest {
    // Stage and round are read now, not when the queued effect runs: by then the case may
    // have moved on, and the outbox key (stage, round, kind, key, recipient) would name the
    // wrong stage. The stage entry (epoch) goes into the key too: a stage can be entered
    // twice in one round (a dispute sent back to analysing asks for a second sign-off), and
    // the second sign-off request must not be taken for a retry of the first.
    const { stage, round, caseId, title } = this.view;
    const key = req.key ? `e${this.epoch}.${req.key}` : `e${this.epoch}`;
    return { caseId, title, stage, round, ...req, key };
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
    const pairs = [
      { key: searchKeys.building, value: view.location.buildingId },
      { key: searchKeys.stage, value: view.stage },
      { key: searchKeys.severity, value: view.severity },
      { key: searchKeys.assignee, value: view.responsibleId },
      { key: searchKeys.overdue, value: view.overdue },
    ] as const;
    if (!this.lean) {
      upsertSearchAttributes([...pairs]);
      return;
    }
    // Lean: only what changed since the last upsert, and no upsert (no event) when nothing did.
    const changed = pairs.filter((p) => this.searched.get(p.key.name) !== p.value);
    if (changed.length === 0) return;
    for (const p of changed) this.searched.set(p.key.name, p.value);
    upsertSearchAttributes([...changed]);
  }

  /** Moves the case to a new stage: closes the old deadline, bumps the epoch. */
  moveTo(stage: Stage, opts: { newRound?: boolean; cancelDeadline?: boolean } = {}): void {
    this.closeDeadline(nowIso(), opts.cancelDeadline === true || stage === 'withdrawn');
    this.view.stage = stage;
    if (opts.newRound) this.view.round += 1;
    if (isTerminal(stage)) this.view.closedAt = nowIso();
    // A stage with a deadline to come holds its transition's effects until the deadline is in.
    if (this.batched) this.awaitingPlan = !isTerminal(stage);
    this.epoch += 1;
    this.syncSearch();
  }

  private closeDeadline(at: string, cancelled: boolean): void {
    this.view.overdue = false;
    const current = this.openDeadline;
    this.openDeadline = undefined;
    if (!current || current.closedAt) return;
    // A stage that ends while a pause holds it keeps the time held so far: met, not late.
    const holding = openPause(this.view.pauses);
    if (holding?.state === 'approved' && pauseHolds(holding, current)) this.moveOnBy(current, holding);
    current.closedAt = at;
    // A withdrawn case, or a survey nobody answered, neither met nor missed its deadline.
    if (current.state === 'pending') current.state = cancelled ? 'cancelled' : 'met';
  }

  /** The deadline of the stage the case is in, once planned (closed ones are not). */
  openStageDeadline(): DeadlineView | undefined {
    return this.openDeadline;
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
    this.plannedEpoch = enteredAt;
    this.awaitingPlan = false;
  }

  /**
   * Whether a pause holds the open stage's deadline now (domain/case-clocks.ts `stageOnHold`).
   * Never for a pause approved before the `pause-holds-stage` patch, so a case that had one
   * waits as it did when it ran.
   */
  holdNow(): boolean {
    const d = this.openDeadline;
    return d !== undefined && stageOnHold(this.view.pauses, d);
  }

  /**
   * A pause that held the stage has ended: the open deadline moves on by the time the pause
   * held it, as a clock's does. Returns the new due, for the pause's record; nothing if it held none.
   */
  releaseHold(p: PauseRecord): string | undefined {
    const d = this.openDeadline;
    return d && pauseHolds(p, d) ? this.moveOnBy(d, p) : undefined;
  }

  /**
   * A deadline's due counted again from `base` (its stage's limit with the calendar now), each
   * ended pause that held it counted again with the calendar now (domain `dueAfterHolds`).
   */
  dueWithHolds(d: DeadlineView, base: string): { due: string; heldMs: number } {
    return dueAfterHolds(d, base, this.view.pauses ?? [], Date.now(), (p) => this.holdWorking(d, p));
  }

  // Moves a deadline on by the part of a pause that held it, up to now: in working time for a
  // working-day stage when the pause was approved to count so and the case pinned its calendar.
  private moveOnBy(d: DeadlineView, p: PauseRecord): string | undefined {
    const span = pauseSpan(p, Date.now());
    const moved = span ? heldDue(d, span, this.holdWorking(d, p)) : undefined;
    if (!moved) return undefined;
    d.due = moved.due;
    d.heldMs = (d.heldMs ?? 0) + moved.movedMs;
    if (d.approximate) d.note = approximateDeadlineNote(d.due, this.policy.timeZone);
    return d.due;
  }

  // The working time a pause holds `d` in, if it counts so (else clock time).
  private holdWorking(d: DeadlineView, p: PauseRecord): WorkingTimeOptions | undefined {
    const calendar = this.calendar;
    return p.holdsInWorkingTime === true &&
      calendar &&
      this.policy.stageDurations[d.stage].unit === 'working_days'
      ? workingOptions(calendar, this.policy.timeZone, this.policy.workingHours)
      : undefined;
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
