// Who may take the case-handling steps that sit beside the stages (arrival on site, a pause
// of the clocks, reassignment and hand-over), and when. Pure, like checkStep, which it
// builds on: the workflow's validators and the API ask the same question.
import {
  MAX_PAUSES,
  MAX_PAUSE_NOTE_LENGTH,
  openPause,
  pauseReasons,
  type PauseReason,
} from './case-clocks.ts';
import { LEGACY_BUDGETS, checkBudgets } from './case-budgets.ts';
import {
  checkStep,
  isTerminal,
  MAX_COMMENTS,
  type Actor,
  type CasePolicy,
  type CaseView,
  type Stage,
  type StepRefusal,
} from './case-model.ts';
import type { Source } from './sla.ts';

export type HandlingStep =
  'arrived' | 'request_pause' | 'decide_pause' | 'end_pause' | 'reassign' | 'hand_over';

/** A supervisor of the case's building (or the working group, or an admin): what may withdraw may decide. */
const isSupervisor = (actor: Actor, view: CaseView, policy: CasePolicy): boolean =>
  checkStep('withdraw', actor, view, policy) === null;

const handles = (actor: Actor, view: CaseView): boolean =>
  actor.id === view.assigneeId || actor.id === view.responsibleId;

const forbidden = (message: string): StepRefusal => ({ kind: 'forbidden', message });
const conflict = (message: string): StepRefusal => ({ kind: 'conflict', message });
const invalid = (message: string): StepRefusal => ({ kind: 'invalid', message });

const NO_PAUSE_WAITING = 'no pause is waiting for a decision / 没有待审批的暂停';
const NO_PAUSE_RUNNING = 'no pause is running / 当前没有暂停';

/**
 * The case's update handlers refuse a pause step in English alone when it lost a race with the
 * validator (changing that text would change running workflows): the caller reads these instead.
 */
export const handlerRefusalText: Readonly<Record<string, string>> = {
  'no pause is waiting for a decision': NO_PAUSE_WAITING,
  'no pause is running': NO_PAUSE_RUNNING,
};

/**
 * Stages in which the technician's work can wait on something (parts, the student, the weather).
 * From the repair report on, the case waits on the supervisors' review and the reporter's rating,
 * which a technician's pause must not hold.
 */
const PAUSABLE_STAGES: readonly Stage[] = ['analysing', 'awaiting_signoff', 'adjudicating', 'rectifying'];

const NOTHING_TO_PAUSE =
  'the repair is reported and the case waits on its review: there is no work left to pause / 维修已上报，案件正等待复查，无需暂停';

const REPAIR_REPORTED_ARRIVAL =
  'the repair was reported already, which counts as the arrival: nothing more to record / 维修已上报，到场时限按上报时间计，无需再登记到场';

const COMPLAINT_NO_ARRIVAL =
  'a complaint is answered, not attended on site: there is no arrival to record (its response is met by the root-cause analysis) / 投诉案件无需登记到场：投诉以提交原因分析作为响应';

/**
 * Whether a case of this source has an arrival on site to record. A complaint (about a staff
 * member's manner, a service) is investigated and answered, not attended like a repair: its
 * response clock lists the arrival beside the analysis, so the analysis is what meets it, and
 * neither its mail nor its page offers to record one.
 */
export const recordsArrival = (source: Source): boolean => source !== 'complaint';

const notInvolved: Record<HandlingStep, string> = {
  arrived:
    'only the technician the case is assigned to now may record the arrival / 只有当前被指派人可以登记到场（本案可能已改派他人）',
  request_pause: 'only the assignee may ask to pause the clocks / 只有被指派人可以申请暂停',
  decide_pause: 'only a supervisor of this building may decide a pause / 只有本楼栋主管可以审批暂停',
  end_pause: 'only the assignee or a supervisor may end a pause / 只有被指派人或主管可以结束暂停',
  reassign: 'only a supervisor of this building may reassign the case / 只有本楼栋主管可以改派',
  hand_over: 'only the assignee may hand the case over / 只有被指派人可以移交',
};

/** What a handling step carries that the rule looks at. */
export interface HandlingInput {
  /** A pause decision: approving one is refused once there is no work left to wait for. */
  approve?: boolean | undefined;
  reason?: PauseReason | string | undefined;
  note?: string | undefined;
  toId?: string | undefined;
}

/**
 * Whether `actor` may take a handling step on the case now. Comments' own rule (the case
 * is open, the actor is not read-only) comes first; then each step's.
 */
export function checkHandling(
  step: HandlingStep,
  actor: Actor,
  view: CaseView,
  policy: CasePolicy,
  input: HandlingInput = {},
): StepRefusal | null {
  const base = checkStep('comment', actor, view, policy);
  // The comment cap is about comments only; these steps have caps of their own.
  const commentsFull = view.comments.length >= MAX_COMMENTS && !isTerminal(view.stage);
  // Someone the case no longer involves (a former assignee's link) is told about this step,
  // not about comments.
  if (base?.kind === 'forbidden') return forbidden(notInvolved[step]);
  if (base && !(base.kind === 'conflict' && commentsFull)) return base;
  const supervisor = isSupervisor(actor, view, policy);
  switch (step) {
    case 'arrived':
      if (!recordsArrival(view.source)) return conflict(COMPLAINT_NO_ARRIVAL);
      if (!handles(actor, view))
        return forbidden('only the assigned technician may record the arrival / 只有被指派人可以登记到场');
      if (!view.clocks?.some((c) => c.metBy.includes('arrived')))
        return conflict('this case has no on-site clock / 该案件无到场时限');
      if (view.timeline.some((e) => e.action === 'arrived'))
        return conflict('the arrival was recorded before; nothing more to do / 此前已登记到场，无需重复登记');
      // The report proves the technician was there (the on-site clock counts it): a later
      // "arrived" would record an arrival after the work it came to do.
      if (view.rectifications.length > 0) return conflict(REPAIR_REPORTED_ARRIVAL);
      return null;
    case 'request_pause': {
      if (!handles(actor, view))
        return forbidden('only the assignee may ask to pause the clocks / 只有被指派人可以申请暂停');
      if (!view.clocks) return conflict('this case has no case-level clocks to pause / 该案件无可暂停的时限');
      if (openPause(view.pauses))
        return conflict('a pause is already requested or running / 已有暂停申请或正在暂停');
      if (!PAUSABLE_STAGES.includes(view.stage)) return conflict(NOTHING_TO_PAUSE);
      // Every case has had this cap (LEGACY_BUDGETS keeps it): the refusal names the budget.
      if ((view.pauses ?? []).length >= MAX_PAUSES)
        return checkBudgets(LEGACY_BUDGETS, view, { pause: true });
      if (!pauseReasons.includes(input.reason as PauseReason))
        return invalid(`reason must be one of ${pauseReasons.join(', ')} / 暂停原因无效`);
      if ((input.note ?? '').length > MAX_PAUSE_NOTE_LENGTH)
        return invalid(`a note may have at most ${MAX_PAUSE_NOTE_LENGTH} characters / 说明过长`);
      return null;
    }
    case 'decide_pause':
      if (!supervisor)
        return forbidden(
          'only a supervisor of this building may decide a pause / 只有本楼栋主管可以审批暂停',
        );
      if (openPause(view.pauses)?.state !== 'requested') return conflict(NO_PAUSE_WAITING);
      // Rejecting still clears a request left over from before the repair was reported.
      if (input.approve === true && !PAUSABLE_STAGES.includes(view.stage)) return conflict(NOTHING_TO_PAUSE);
      return null;
    case 'end_pause':
      if (!supervisor && !handles(actor, view))
        return forbidden(
          'only the assignee or a supervisor may end a pause / 只有被指派人或主管可以结束暂停',
        );
      if (openPause(view.pauses)?.state !== 'approved') return conflict(NO_PAUSE_RUNNING);
      return null;
    case 'reassign':
    case 'hand_over': {
      if (step === 'reassign' && !supervisor)
        return forbidden('only a supervisor of this building may reassign the case / 只有本楼栋主管可以改派');
      if (step === 'hand_over' && actor.id !== view.assigneeId)
        return forbidden('only the assignee may hand the case over / 只有被指派人可以移交');
      if (!input.toId?.trim()) return invalid('the colleague to take over must be named / 须指定接手人');
      if (input.toId === view.assigneeId)
        return conflict(`${input.toId} is already the assignee / 已是被指派人`);
      if (!input.note?.trim()) return invalid('a reason is required / 须填写原因');
      if (input.note.length > MAX_PAUSE_NOTE_LENGTH)
        return invalid(`a reason may have at most ${MAX_PAUSE_NOTE_LENGTH} characters / 原因过长`);
      return null;
    }
  }
}
