import type { Duration, PinnedCalendar } from './calendar.ts';
import { stageStatusLabels } from './stage-labels.ts';
import { CASE_BUDGETS, LEGACY_BUDGETS, checkBudgets } from './case-budgets.ts';
import { actsOnCases } from './case-acting-roles.ts';
import type { CaseAction, SurveyScore } from './case-action.ts';
import type { CaseClock, PauseRecord } from './case-clocks.ts';
import type { Bilingual, EscalationLevel, Location, Role } from './directory.ts';
import type { StuckEffect } from './effect-failure.ts';
import type { WorkingHours } from './quiet-hours.ts';
import type { Severity, Source, TimedStage } from './sla.ts';

/**
 * The case: its stages, the state a workflow keeps, and the view everyone
 * reads. Pure types plus the rules that decide who may take which step.
 */
export const stages = [
  'detected',
  'analysing',
  'awaiting_signoff',
  'adjudicating',
  'rectifying',
  'reviewing',
  'follow_up',
  'closed',
  'withdrawn',
] as const;
export type Stage = (typeof stages)[number];
export const terminalStages: readonly Stage[] = ['closed', 'withdrawn'];
export const isTerminal = (s: Stage): boolean => terminalStages.includes(s);
/** The stages a case is still open in (not closed or withdrawn), in the order a case goes through them. */
export const openStages: readonly Stage[] = stages.filter((s) => !isTerminal(s));

export interface Actor {
  id: string;
  roles: Role[];
  /** How the actor reached us: the API with a bearer token, or a signed email link. */
  via?: 'api' | 'link' | 'system' | undefined;
  /**
   * The buildings the person supervises in the directory as it stood when they took the
   * step (set by the API). It travels in the update, so the workflow's decision is in
   * history and replays the same; a supervisor appointed after the case opened may act.
   */
  supervises?: string[] | undefined;
}

export const SYSTEM_ACTOR: Actor = { id: 'system', roles: [], via: 'system' };

/**
 * Who rates the result in follow-up. A reporter by email (every case opened before scanned-code
 * reporters without one were followed up) is mailed the result and the survey link; a
 * scanned-code report's reporter also carries the report's id and rates on its tracking page,
 * which is all a reporter who left no email has.
 */
export interface Reporter {
  name: string;
  email?: string | undefined;
  language?: 'zh-CN' | 'en' | undefined;
  /** The scanned-code report the case was opened from (its tracking page takes the survey). */
  reportId?: string | undefined;
  /**
   * The directory person whose email the reporter gave, found when the case opened (never taken
   * from a request). Someone who opened or handles the case may not rate it: such a case closes on
   * its passed review. Absent in cases opened before, which wait out the follow-up as they did.
   */
  personId?: string | undefined;
}

/** Evidence that a signature came through a link: who, from where, over which text. */
export interface LinkSignature {
  tokenId: string;
  ip?: string | undefined;
  userAgent?: string | undefined;
  textHash: string;
  /** Who was signed in to the app on the browser that signed, when not the link's recipient. */
  sessionPersonId?: string | undefined;
}

export interface CaseInput {
  caseId: string;
  title: string;
  description: string;
  source: Source;
  severity: Severity;
  category?: string | undefined;
  location: Location;
  assigneeId: string;
  reporter?: Reporter | undefined;
  openedBy: Actor;
  openedAt: string;
  /** When the problem was reported (a scanned-code report's own time); clocks the standards start at the report run from here. Absent: openedAt. */
  reportedAt?: string | undefined;
  /** The policy the case started under, resolved once and pinned so replays never see new data. */
  policy: CasePolicy;
  /**
   * The calendar in force when the case opened (the official days of the years it can reach and
   * the school's changes), pinned like the policy: the case counts every working day with it, in
   * the workflow. Absent in cases opened before: the worker plans each of their deadlines with
   * the calendar in force then.
   */
  calendar?: PinnedCalendar | undefined;
}

export interface CasePolicy {
  slaVersion: string;
  slaRuleId: string;
  slaLabel: Bilingual;
  stageDurations: Record<TimedStage, Duration>;
  leadershipNotice?: Duration | undefined;
  reminderFractions: number[];
  maxFailedReviews: number;
  escalationChain: EscalationLevel[];
  supervisorIds: string[];
  timeZone: string;
  /** When reminders and escalations may go out (absent in cases opened before: the default). */
  workingHours?: WorkingHours | undefined;
}

/** `cancelled`: the stage ended without its step being due any more (withdrawn, or a follow-up nobody answered). */
export type DeadlineState = 'pending' | 'met' | 'breached' | 'cancelled';

export interface DeadlineView {
  stage: TimedStage;
  round: number;
  startedAt: string;
  due: string;
  approximate: boolean;
  /** Why an approximate deadline may move, for the case page (absent when exact). */
  note?: Bilingual | undefined;
  calendarVersion: string;
  state: DeadlineState;
  closedAt?: string | undefined;
  breachedAt?: string | undefined;
  /** How far pauses moved `due` on (absent while none held the stage; see `PauseRecord.holdsStage`). */
  heldMs?: number | undefined;
}

export interface NoticeView {
  kind: 'reminder' | 'escalation' | 'leadership_notice' | 'review_escalation';
  stage: Stage;
  round: number;
  at: string;
  level?: string | undefined;
  to: string[];
}

export interface TimelineEntry {
  at: string;
  actorId: string;
  action: CaseAction;
  stage: Stage;
  round: number;
  /** Free text; records from before `score` existed kept a survey score here as `score N/5`. */
  detail?: string | undefined;
  /** The survey score of a follow-up action: the view keeps only the latest follow-up. */
  score?: SurveyScore | undefined;
}

export interface RootCause {
  causes: string[];
  responsibleId: string;
  plan: string;
  whys?: string[] | undefined;
  by: string;
  at: string;
}

export interface SignOffRecord {
  decision: 'confirm' | 'dispute';
  reason?: string | undefined;
  by: string;
  at: string;
  round: number;
  signature?: LinkSignature | undefined;
}

export interface RectificationRecord {
  round: number;
  summary: string;
  evidence: string[];
  by: string;
  at: string;
}

export interface ReviewRecord {
  round: number;
  passed: boolean;
  notes: string;
  by: string;
  at: string;
}

export interface AdjudicationRecord {
  decision: 'revise' | 'proceed';
  notes: string;
  by: string;
  at: string;
}

export interface FollowUpRecord {
  score?: number | undefined;
  comment?: string | undefined;
  at: string;
  outcome: 'rated' | 'unrated' | 'reopened';
}

export interface CaseView {
  caseId: string;
  title: string;
  description: string;
  source: Source;
  severity: Severity;
  category?: string | undefined;
  location: Location;
  assigneeId: string;
  responsibleId: string;
  reporter?: Reporter | undefined;
  openedBy: string;
  openedAt: string;
  /** When the problem was reported, where earlier than the opening (`CaseInput.reportedAt`): the case clocks run from it. */
  reportedAt?: string | undefined;
  stage: Stage;
  round: number;
  failedReviews: number;
  overdue: boolean;
  sla: { version: string; ruleId: string; label: Bilingual; calendarVersion?: string | undefined };
  deadlines: DeadlineView[];
  notices: NoticeView[];
  rootCause?: RootCause | undefined;
  signOffs: SignOffRecord[];
  rectifications: RectificationRecord[];
  reviews: ReviewRecord[];
  adjudications: AdjudicationRecord[];
  followUp?: FollowUpRecord | undefined;
  withdrawal?: { reason: string; by: string; at: string } | undefined;
  comments: { text: string; by: string; at: string }[];
  timeline: TimelineEntry[];
  closedAt?: string | undefined;
  /** Effects that failed for good and wait for an admin (absent while there never was one). */
  stuck?: StuckEffect[] | undefined;
  /** The case-level clocks (domain/case-clocks.ts); absent in cases opened before them. */
  clocks?: CaseClock[] | undefined;
  /** Pauses of the clocks, asked for by the assignee and decided by a supervisor. */
  pauses?: PauseRecord[] | undefined;
  /** Bumped on every change; the stored record keeps the newest. */
  version: number;
}

export type StepName =
  | 'root_cause'
  | 'sign_off'
  | 'rectification'
  | 'review'
  | 'adjudication'
  | 'withdraw'
  | 'comment'
  | 'follow_up';

/**
 * Comments are the one step a case can take without moving on, so they are capped (with
 * every other budget of a case, in domain/case-budgets.ts) to keep the record and the
 * workflow's history bounded.
 */
export const MAX_COMMENTS = CASE_BUDGETS.comments;
export const MAX_COMMENT_LENGTH = CASE_BUDGETS.commentLength;

/** Why a step was refused: the API maps `forbidden` to 403 and `conflict` to 409. */
export interface StepRefusal {
  kind: 'forbidden' | 'conflict' | 'invalid';
  message: string;
}

const STAGE_FOR_STEP: Partial<Record<StepName, Stage[]>> = {
  root_cause: ['analysing'],
  sign_off: ['awaiting_signoff'],
  rectification: ['rectifying'],
  review: ['reviewing'],
  adjudication: ['adjudicating'],
  follow_up: ['follow_up'],
};

const hasAny = (actor: Pick<Actor, 'roles'>, ...want: Role[]) => actor.roles.some((r) => want.includes(r));
const isSupervisorOf = (actor: Actor, view: Pick<CaseView, 'location'>, policy: CasePolicy) =>
  hasAny(actor, 'admin', 'working_group') ||
  (hasAny(actor, 'supervisor') &&
    (policy.supervisorIds.includes(actor.id) || (actor.supervises ?? []).includes(view.location.buildingId)));

/** An auditor with no other part in cases reads them and changes nothing, whatever the step. */
export function readOnlyRefusal(actor: Pick<Actor, 'roles'>): StepRefusal | null {
  if (hasAny(actor, 'auditor') && !actsOnCases(actor.roles))
    return { kind: 'forbidden', message: 'auditors have read-only access / 审计人员只读' };
  return null;
}

/**
 * The one place that decides whether `actor` may take `step` on a case now.
 * Workflow update validators call it synchronously; the API calls it too, to
 * answer before it reaches the workflow.
 */
export function checkStep(
  step: StepName,
  actor: Actor,
  view: CaseView,
  policy: CasePolicy,
): StepRefusal | null {
  const readOnly = readOnlyRefusal(actor);
  if (readOnly) return readOnly;
  if (isTerminal(view.stage)) {
    return {
      kind: 'conflict',
      message: `case is ${view.stage}; no further steps / 案件已${view.stage === 'closed' ? '关闭' : '撤销'}`,
    };
  }
  const stagesAllowed = STAGE_FOR_STEP[step];
  if (stagesAllowed && !stagesAllowed.includes(view.stage)) {
    return {
      kind: 'conflict',
      message: `the case is now at “${stageStatusLabels[view.stage].en}”, where this cannot be done (it needs “${stagesAllowed.map((x) => stageStatusLabels[x].en).join('” or “')}”) / 案件当前处于「${stageStatusLabels[view.stage].zh}」，不能执行此操作（需处于「${stagesAllowed.map((x) => stageStatusLabels[x].zh).join('」或「')}」）`,
    };
  }
  const supervisor = isSupervisorOf(actor, view, policy);
  switch (step) {
    case 'root_cause':
      if (supervisor || actor.id === view.assigneeId) return null;
      return {
        kind: 'forbidden',
        message:
          'only a supervisor of this building or the assignee may submit the root-cause analysis / 只有本楼栋主管或被指派人可以提交原因分析',
      };
    case 'sign_off':
      if (actor.id === view.responsibleId) return null;
      return {
        kind: 'forbidden',
        message: 'only the responsible staff member may sign off this case / 只有责任人可以签字确认',
      };
    case 'rectification':
      if (actor.id === view.responsibleId || actor.id === view.assigneeId) return null;
      return {
        kind: 'forbidden',
        message: 'only the responsible staff member may report the rectification / 只有责任人可以上报整改',
      };
    case 'review':
    case 'adjudication':
    case 'withdraw':
      if (supervisor) return null;
      return {
        kind: 'forbidden',
        message: `only a supervisor of this building may ${step === 'withdraw' ? 'withdraw the case' : `do the ${step}`} / 只有本楼栋主管可以${step === 'withdraw' ? '撤销案件' : step === 'review' ? '复查' : '裁定'}`,
      };
    case 'follow_up':
      if (actor.id === reporterActorId(view.reporter)) return null;
      return { kind: 'forbidden', message: 'only the reporter may rate the result / 只有报告人可以评价' };
    case 'comment':
      if (
        !supervisor &&
        actor.id !== view.assigneeId &&
        actor.id !== view.responsibleId &&
        !hasAny(actor, 'grid_member', 'leadership')
      )
        return {
          kind: 'forbidden',
          message: 'only people involved in this case may comment / 只有案件相关人员可以评论',
        };
      // Every case has had this cap (LEGACY_BUDGETS keeps it): the refusal names the budget.
      return checkBudgets(LEGACY_BUDGETS, view, { comment: '' });
  }
}

/**
 * Reporters are not in the directory: they act through links under this id, `reporter:<email>`
 * (as every case always had), or `reporter:<report id>` for a scanned-code reporter who left no email.
 */
export function reporterActorId(reporter: Reporter | undefined): string | undefined {
  if (reporter?.email) return `reporter:${reporter.email.toLowerCase()}`;
  return reporter?.reportId ? `reporter:${reporter.reportId}` : undefined;
}
