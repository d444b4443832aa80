import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CaseAction } from '../../domain/case-action.ts';
import type { CalendarOverrides } from '../../domain/calendar.ts';
import { CALENDAR_CHANGED_UPDATE } from '../../domain/calendar-change.ts';
import type { PauseReason } from '../../domain/case-clocks.ts';
import type { Actor, CaseView, LinkSignature, Stage } from '../../domain/case-model.ts';
import type { StuckEffect } from '../../domain/effect-failure.ts';

/**
 * The case workflow's messages. Human steps are updates: the caller must learn
 * at once whether the step was accepted (and why not), which a signal can't
 * tell. Reads are a query. An update answers where the case is after the step (`StepAck`);
 * cases opened before the lean-case patch answer with the whole view, which holds the same
 * fields. Whoever needs the whole view asks the query.
 */
export interface StepAck {
  caseId: string;
  stage: Stage;
  round: number;
  version: number;
  /** When the stage the case is now in is due, if it has a deadline. */
  due?: string | undefined;
}
export interface RootCauseInput {
  actor: Actor;
  causes: string[];
  responsibleId: string;
  plan: string;
  whys?: string[] | undefined;
}
export interface SignOffInput {
  actor: Actor;
  decision: 'confirm' | 'dispute';
  reason?: string | undefined;
  signature?: LinkSignature | undefined;
}
export interface RectificationInput {
  actor: Actor;
  summary: string;
  evidence: string[];
}
export interface ReviewInput {
  actor: Actor;
  passed: boolean;
  notes: string;
}
export interface AdjudicationInput {
  actor: Actor;
  decision: 'revise' | 'proceed';
  notes: string;
  signature?: LinkSignature | undefined;
}
export interface WithdrawInput {
  actor: Actor;
  reason: string;
}
export interface CommentInput {
  actor: Actor;
  text: string;
}
export interface FollowUpInput {
  actor: Actor;
  score: number;
  comment?: string | undefined;
  signature?: LinkSignature | undefined;
}

/** An admin's retry or dismissal of one stuck effect (its id in the view's `stuck`). */
export interface StuckEffectInput {
  actor: Actor;
  effectId: string;
}
/** What a retry or dismissal answers: the effects still waiting after it. */
export interface StuckEffectAck {
  stuck: StuckEffect[];
}
/** The technician is on site (seed 000: "维修人员要填妥到场时间"), from the app or an email link. */
export interface ArrivedInput {
  actor: Actor;
  note?: string | undefined;
  signature?: LinkSignature | undefined;
}
export interface PauseRequestInput {
  actor: Actor;
  reason: PauseReason;
  note: string;
}
export interface PauseDecisionInput {
  actor: Actor;
  approve: boolean;
  notes: string;
}
export interface EndPauseInput {
  actor: Actor;
}
/** Reassignment (by a supervisor) and hand-over (by the assignee) to a colleague. */
export interface ReassignInput {
  actor: Actor;
  toId: string;
  reason: string;
}

/**
 * A calendar an admin saved (its version number and the school's days it declares), sent to every
 * running case that pinned one: the case counts with it from then on, its open stage included.
 */
export interface CalendarChangeInput {
  version: number;
  overrides: CalendarOverrides;
}
export interface CalendarChangeAck {
  caseId: string;
  /** The saved version the case counts with now. */
  version: number;
  /** The hash of the calendar it counts with (`DeadlineView.calendarVersion`). */
  calendarVersion: string;
}

export const caseViewQuery = defineQuery<CaseView>('caseView');
/**
 * The supervisors pinned when the case opened: who supervises it while its building has none in
 * the directory (the API asks only then, so the case's reads stay one query).
 */
export const pinnedSupervisorsQuery = defineQuery<string[]>('pinnedSupervisors');
/** Resolves once the case has its first deadline: what a creator waits on before answering 201. */
export const openedUpdate = defineUpdate<StepAck, [Record<string, never>]>('opened');
export const submitRootCauseUpdate = defineUpdate<StepAck, [RootCauseInput]>('submitRootCause');
export const signOffUpdate = defineUpdate<StepAck, [SignOffInput]>('signOff');
export const reportRectificationUpdate = defineUpdate<StepAck, [RectificationInput]>('reportRectification');
export const reviewUpdate = defineUpdate<StepAck, [ReviewInput]>('review');
export const adjudicateUpdate = defineUpdate<StepAck, [AdjudicationInput]>('adjudicate');
export const withdrawUpdate = defineUpdate<StepAck, [WithdrawInput]>('withdraw');
export const addCommentUpdate = defineUpdate<StepAck, [CommentInput]>('addComment');
export const submitFollowUpUpdate = defineUpdate<StepAck, [FollowUpInput]>('submitFollowUp');
export const retryEffectUpdate = defineUpdate<StuckEffectAck, [StuckEffectInput]>('retryEffect');
export const dismissEffectUpdate = defineUpdate<StuckEffectAck, [StuckEffectInput]>('dismissEffect');
export const arrivedUpdate = defineUpdate<StepAck, [ArrivedInput]>('arrived');
export const requestPauseUpdate = defineUpdate<StepAck, [PauseRequestInput]>('requestPause');
export const decidePauseUpdate = defineUpdate<StepAck, [PauseDecisionInput]>('decidePause');
export const endPauseUpdate = defineUpdate<StepAck, [EndPauseInput]>('endPause');
export const reassignUpdate = defineUpdate<StepAck, [ReassignInput]>('reassign');
export const handOverUpdate = defineUpdate<StepAck, [ReassignInput]>('handOver');
export const calendarChangedUpdate = defineUpdate<CalendarChangeAck, [CalendarChangeInput]>(
  CALENDAR_CHANGED_UPDATE,
);

/**
 * The audit actions each update records when it is accepted (what a timeline of the
 * workflow's history shows beside the update); `opened` only waits and records nothing.
 */
export const updateActions: Readonly<Record<string, readonly CaseAction[]>> = {
  [openedUpdate.name]: [],
  [submitRootCauseUpdate.name]: ['root_cause_submitted'],
  [signOffUpdate.name]: ['signed_off', 'disputed'],
  [adjudicateUpdate.name]: ['adjudicated'],
  [reportRectificationUpdate.name]: ['rectification_reported'],
  [reviewUpdate.name]: ['review_passed', 'review_failed'],
  [submitFollowUpUpdate.name]: ['follow_up_rated', 'follow_up_low_score'],
  [withdrawUpdate.name]: ['withdrawn'],
  [addCommentUpdate.name]: ['commented'],
  [retryEffectUpdate.name]: ['effect_retried'],
  [dismissEffectUpdate.name]: ['effect_dismissed'],
  [arrivedUpdate.name]: ['arrived'],
  [requestPauseUpdate.name]: ['pause_requested'],
  [decidePauseUpdate.name]: ['pause_approved', 'pause_rejected'],
  [endPauseUpdate.name]: ['pause_ended'],
  [reassignUpdate.name]: ['reassigned'],
  [handOverUpdate.name]: ['handed_over'],
  // Records only when it moves the open stage's deadline, from the stage's watch.
  [calendarChangedUpdate.name]: [],
};

/** Failure types the workflow raises; the API maps them to HTTP statuses. */
export const CaseFailure = {
  Forbidden: 'CaseStepForbidden',
  Conflict: 'CaseStepConflict',
  Invalid: 'CaseStepInvalid',
} as const;

export { searchKeys } from './search-attributes.ts';
