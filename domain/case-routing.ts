// Who hears of a case at each stage and through which link: decisions the case
// workflow acts on, kept pure so they are tested here and replay identically.
import { durationMs } from './calendar.ts';
import type { CasePolicy, CaseView } from './case-model.ts';
import type { EscalationLevel } from './directory.ts';
import type { TimedStage } from './sla.ts';

/** A signed link into one step of a case: the step it opens and the choice it offers. */
export interface StageLink {
  step: 'sign_off' | 'adjudication' | 'follow_up';
  action: 'sign_off' | 'adjudicate' | 'rate';
}

/**
 * The link that goes with the step a stage waits for, when that step can be taken from an
 * email (sign-off, adjudication, the survey); the other steps are taken in the web app.
 */
export function linkForStage(stage: TimedStage): StageLink | undefined {
  switch (stage) {
    case 'awaiting_signoff':
      return { step: 'sign_off', action: 'sign_off' };
    case 'adjudicating':
      return { step: 'adjudication', action: 'adjudicate' };
    case 'follow_up':
      return { step: 'follow_up', action: 'rate' };
    default:
      return undefined;
  }
}

/** The stages that wait on the building's supervisors (adjudication and review). */
export const supervisesStage = (stage: TimedStage): boolean =>
  stage === 'adjudicating' || stage === 'reviewing';

/**
 * The staff a stage's reminders go to: whoever must take its step. Follow-up waits on the
 * reporter, who is not staff and is reminded with the survey itself.
 */
export function stageOwners(
  stage: TimedStage,
  c: Pick<CaseView, 'assigneeId' | 'responsibleId'>,
  policy: Pick<CasePolicy, 'supervisorIds'>,
): string[] {
  switch (stage) {
    case 'analysing':
      return [c.assigneeId];
    case 'awaiting_signoff':
    case 'rectifying':
      return [c.responsibleId];
    case 'adjudicating':
    case 'reviewing':
      return [...policy.supervisorIds];
    case 'follow_up':
      return [];
  }
}

/** The people of one rung of the pinned escalation chain. */
export const peopleOfLevel = (
  policy: Pick<CasePolicy, 'escalationChain'>,
  level: EscalationLevel['level'],
): string[] => policy.escalationChain.find((l) => l.level === level)?.personIds ?? [];

const HOUR_MS = 3_600_000;
/** Seed 002: major problems are reported to school leadership within 48 hours. */
export const DEFAULT_LEADERSHIP_NOTICE_MS = 48 * HOUR_MS;
/** The second notice goes this long before the limit, so leadership can still act within it. */
export const LEADERSHIP_REMINDER_LEAD_MS = 8 * HOUR_MS;

/**
 * When, counted from the opening, leadership hears of a major case a second time: 8 hours
 * before the pinned policy's notice limit (48 h → 40 h), or at five sixths of a limit too
 * short for that. A limit in working days has no fixed length and falls back to 48 hours,
 * as does a policy pinned without one.
 */
export function leadershipSecondNoticeAfterMs(policy: Pick<CasePolicy, 'leadershipNotice'>): number {
  const d = policy.leadershipNotice;
  const limit = d && d.unit !== 'working_days' ? durationMs(d) : DEFAULT_LEADERSHIP_NOTICE_MS;
  return limit - Math.min(LEADERSHIP_REMINDER_LEAD_MS, limit / 6);
}
