import type { CaseView, DeadlineState, DeadlineView, ReviewRecord, Stage } from './case-model.ts';
import type { TimedStage } from './sla.ts';
import type { Bilingual } from './text.ts';

/**
 * A running case as its reporter reads it on the tracking page: a student learns where their
 * problem stands (being fixed, waiting for re-inspection, fixed and waiting for their rating), not
 * the stage names, rounds and deadline states the staff work with. Staff pages keep those.
 */
export const caseProgresses = [
  'arranging',
  'visited',
  'finding_cause',
  'planning',
  'fixing',
  'fixing_again',
  'checking',
  'rate',
  'passed',
] as const;
export type CaseProgress = (typeof caseProgresses)[number];

export const caseProgressLabel: Record<CaseProgress, Bilingual> = {
  arranging: { zh: '已受理，正在安排处理', en: 'Taken up; the work is being arranged' },
  visited: { zh: '维修人员已到场，正在查找原因', en: 'The technician has been; finding the cause' },
  finding_cause: { zh: '已受理，正在查找原因', en: 'Taken up; finding the cause' },
  planning: {
    zh: '已查明原因，正在确定处理办法',
    en: 'The cause is found; deciding what will be done',
  },
  fixing: { zh: '正在整改', en: 'Being fixed' },
  fixing_again: {
    zh: '复查未通过，正在重新整改',
    en: 'Not yet fixed at re-inspection; being fixed again',
  },
  checking: { zh: '整改已完成，等待复查', en: 'Fixed; waiting for re-inspection' },
  rate: { zh: '已处理完毕，待您评价', en: 'Done; waiting for your rating' },
  passed: { zh: '已处理完毕，复查已通过', en: 'Done; it passed re-inspection' },
};

/**
 * Where a case still running stands for its reporter; undefined once it has ended (the tracking
 * status says resolved or withdrawn). `asksRating`: the page asks this reader to rate it now (a
 * reader who rated already, or may not rate, reads that it passed). Before the plan is signed the
 * student learns what they can see happen: someone came, the cause is being found, then agreed.
 */
export function caseProgress(
  view: Pick<CaseView, 'stage' | 'reviews' | 'timeline' | 'clocks'>,
  asksRating: boolean,
): CaseProgress | undefined {
  switch (view.stage) {
    case 'detected':
    case 'analysing':
      if (view.timeline.some((e) => e.action === 'arrived')) return 'visited';
      // A repair promising a technician on site is still being arranged until they come; a case
      // promising no visit (a complaint, a case from before the clocks) is being looked into.
      return view.clocks?.some((c) => c.id === 'on_site_arrival') ? 'arranging' : 'finding_cause';
    case 'awaiting_signoff':
    case 'adjudicating':
      return 'planning';
    // A failed review sends the case back to rectification in a new round: the latest review says which.
    case 'rectifying':
      return view.reviews.at(-1)?.passed === false ? 'fixing_again' : 'fixing';
    case 'reviewing':
      return 'checking';
    case 'follow_up':
      return asksRating ? 'rate' : 'passed';
    case 'closed':
    case 'withdrawn':
      return undefined;
  }
}

/** The steps of a case in a student's words (the staff's are domain/stage-labels.ts). */
export const trackedStepLabel: Record<TimedStage, Bilingual> = {
  analysing: { zh: '查找原因', en: 'Finding the cause' },
  // Who signs or settles the plan is the staff's business; the student waits on what will be done.
  awaiting_signoff: { zh: '确定处理办法', en: 'Deciding what will be done' },
  adjudicating: { zh: '商定处理办法', en: 'Settling what will be done' },
  rectifying: { zh: '整改', en: 'Fixing' },
  reviewing: { zh: '复查', en: 'Re-inspection' },
  follow_up: { zh: '回访评价', en: 'Rating' },
};

/** A step that came more than once, with its turn: "第 2 次复查 / Re-inspection 2". */
export function numberedStep(stage: TimedStage, n: number): Bilingual {
  const name = trackedStepLabel[stage];
  if (stage === 'reviewing') return { zh: `第 ${n} 次复查`, en: `Re-inspection ${n}` };
  if (stage === 'rectifying') return { zh: `第 ${n} 次整改`, en: `Fixing, round ${n}` };
  return { zh: `${name.zh}（第 ${n} 轮）`, en: `${name.en}, round ${n}` };
}

/** A step's deadline state in a student's words ("Met", "Breached" are the staff's). */
export const trackedDeadlineLabel: Record<DeadlineState, Bilingual> = {
  pending: { zh: '进行中', en: 'In progress' },
  met: { zh: '按时完成', en: 'Done on time' },
  breached: { zh: '已超时', en: 'Late' },
  cancelled: { zh: '已取消', en: 'Cancelled' },
};

/**
 * A step of the progress list as its reporter reads it: a finished step by when it was done (on
 * time or late), a running one by its deadline, which `due` marks. A deadline read as the time a
 * step was done told a student work was done at a time still to come.
 */
export interface StepStanding {
  text: Bilingual;
  at: string;
  due: boolean;
}

export function stepStanding(d: Pick<DeadlineView, 'stage' | 'state' | 'due' | 'closedAt'>): StepStanding {
  if (d.closedAt === undefined)
    return {
      text: d.state === 'breached' ? { zh: '已超时', en: 'late' } : { zh: '进行中', en: 'in progress' },
      at: d.due,
      due: true,
    };
  const done = { at: d.closedAt, due: false };
  // The rating is the student's own step: whether it came in time is nothing to them.
  if (d.stage === 'follow_up')
    return {
      ...done,
      text: d.state === 'cancelled' ? { zh: '未评价', en: 'not rated' } : { zh: '已评价', en: 'rated' },
    };
  const text: Record<DeadlineState, Bilingual> = {
    pending: { zh: '已完成', en: 'done' },
    met: { zh: '按时完成', en: 'done on time' },
    breached: { zh: '超时完成', en: 'done late' },
    cancelled: { zh: '已取消', en: 'cancelled' },
  };
  return { ...done, text: text[d.state] };
}

/** The steps in the order they began (the order they happened), whatever order they were planned in. */
export const stepsInOrder = <D extends Pick<DeadlineView, 'startedAt'>>(deadlines: readonly D[]): D[] =>
  [...deadlines].sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));

/**
 * What a re-inspection found, which is what its reporter wants to know of it: a failed one was
 * on time all the same, and "on time" read alone reads as passed.
 */
export const reviewOutcomeLabel = (review: Pick<ReviewRecord, 'passed'>): Bilingual =>
  review.passed
    ? { zh: '已通过', en: 'passed' }
    : { zh: '未通过，继续整改', en: 'not yet fixed, being fixed again' };

/**
 * The work a passed review accepted, once the case is past it (follow-up or closed): that review,
 * and the latest rectification up to its round. A low rating sends the case back to review in a
 * new round with no rectification of its own: the work that review passes is the one before it.
 */
export function acceptedWork(view: Pick<CaseView, 'stage' | 'reviews' | 'rectifications'>) {
  const past: readonly Stage[] = ['follow_up', 'closed'];
  if (!past.includes(view.stage)) return undefined;
  const passed = view.reviews.findLast((r) => r.passed);
  const fixed = passed ? view.rectifications.findLast((r) => r.round <= passed.round) : undefined;
  return passed && fixed ? { passed, fixed } : undefined;
}
