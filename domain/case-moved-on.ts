import type { CaseAction } from './case-action.ts';
import { caseActionLabel } from './case-action.ts';
import { recordsArrival } from './case-handling.ts';
import type { CaseView, Stage, TimelineEntry } from './case-model.ts';
import { stageStatusLabels } from './stage-labels.ts';
import type { Bilingual } from './text.ts';

/**
 * What moved a case on past a form sent from a page read before (a stale tab, a lost race): the
 * step someone took that brought the case where it is now, so a refusal can say "案件已由 X 复查通过"
 * instead of only "the case is closed".
 */

/** Entries that record upkeep around the case, not a step that moved it on. */
const UPKEEP: ReadonlySet<CaseAction> = new Set<CaseAction>([
  'deadline_set',
  'deadline_recounted',
  'reminder_sent',
  'deadline_breached',
  'escalated',
  'leadership_notified',
  'review_escalated',
  'effect_failed',
  'effect_retried',
  'effect_dismissed',
  'commented',
]);

/**
 * The step that moved the case on last. A system entry that only follows a person's step in
 * the same stage (the closing a passed review with no reporter brings) gives way to that step:
 * it was the person who decided.
 */
export function lastMove(view: Pick<CaseView, 'timeline'>): TimelineEntry | null {
  const moves = view.timeline.filter((e) => !UPKEEP.has(e.action));
  let i = moves.length - 1;
  while (i > 0 && moves[i]!.actorId === 'system' && moves[i - 1]!.stage === moves[i]!.stage) i -= 1;
  return moves[i] ?? null;
}

/** How each step reads after "案件已由 X" (zh) and "The case was already … by X" (en). */
const done: Partial<Record<CaseAction, Bilingual>> = {
  root_cause_submitted: { zh: '提交原因分析', en: 'given its root cause analysis' },
  signed_off: { zh: '签字确认', en: 'signed off' },
  disputed: { zh: '提出异议', en: 'disputed' },
  adjudicated: { zh: '裁决', en: 'adjudicated' },
  rectification_reported: { zh: '报告整改完成', en: 'reported rectified' },
  review_passed: { zh: '复查通过', en: 'reviewed and passed' },
  review_failed: { zh: '复查判为不合格', en: 'reviewed and failed' },
  follow_up_rated: { zh: '回访评价', en: 'rated in the follow-up' },
  follow_up_low_score: {
    zh: '回访评价偏低、退回复查',
    en: 'rated low in the follow-up and sent back to review',
  },
  closed: { zh: '结案', en: 'closed' },
  closed_unrated: { zh: '回访未评价而结案', en: 'closed without a follow-up rating' },
  withdrawn: { zh: '撤销', en: 'withdrawn' },
  reassigned: { zh: '改派', en: 'reassigned' },
  handed_over: { zh: '移交', en: 'handed over' },
  pause_approved: { zh: '批准暂停', en: 'paused (approved)' },
  pause_rejected: { zh: '驳回暂停申请', en: 'refused a pause' },
  pause_ended: { zh: '结束暂停', en: 'taken out of its pause' },
};

/**
 * "案件已由王主管于 2026-12-07 18:49 复查通过，现为「回访」" / "The case was already reviewed and
 * passed by … at …; it is now at “Follow-up”". `who` is null for the system or someone the page
 * cannot name (a reporter rating by link); `at` is the time as the page tells it.
 */
export function movedOnText(
  view: Pick<CaseView, 'stage'>,
  move: Pick<TimelineEntry, 'action'> | null,
  who: Bilingual | null,
  at: string,
): Bilingual {
  const now = stageStatusLabels[view.stage];
  if (!move) return { zh: `案件现为「${now.zh}」`, en: `The case is now at “${now.en}”` };
  const label = caseActionLabel(move.action);
  const verb = done[move.action] ?? { zh: `执行「${label.zh}」`, en: `moved on (“${label.en}”)` };
  return {
    zh: `案件已${who ? `由${who.zh}` : ''}于 ${at} ${verb.zh}，现为「${now.zh}」`,
    en: `The case was already ${verb.en}${who ? ` by ${who.en}` : ''} at ${at}; it is now at “${now.en}”`,
  };
}

/** The stage each stage's own form is sent in. */
const STAGE_OF_STEP: Partial<Record<string, Stage>> = {
  root_cause: 'analysing',
  sign_off: 'awaiting_signoff',
  adjudication: 'adjudicating',
  rectification: 'rectifying',
  review: 'reviewing',
};

/**
 * Whether this case never offers the step at all, whatever its stage: what it is and how it was
 * opened rule it out (a complaint has no arrival on site, a case opened without case clocks
 * nothing to pause). These are fixed when the case opens, so no one can have overtaken the form.
 */
function neverOffered(step: string, view: Pick<CaseView, 'source' | 'clocks'>): boolean {
  switch (step) {
    case 'arrived':
      return !recordsArrival(view.source) || !view.clocks?.some((c) => c.metBy.includes('arrived'));
    case 'request_pause':
      return !view.clocks;
    default:
      return false;
  }
}

/**
 * Whether a form refused from an older page (or a hand-made post) was simply never this case's to
 * send: its stage not reached yet, or a step the case never offers. No one overtook it, so the
 * refusal's own words (where the case is and what the step needs, why the case has no such step)
 * say why, not "案件已由 X …" naming whoever took the case's last step.
 */
export function notOvertaken(step: string, view: Pick<CaseView, 'timeline' | 'source' | 'clocks'>): boolean {
  const stage = STAGE_OF_STEP[step];
  if (stage !== undefined && !view.timeline.some((e) => e.stage === stage)) return true;
  return neverOffered(step, view);
}
