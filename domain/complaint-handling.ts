// Whether a complaint counts as handled for the handling rate (seed 000 检查评估 2 and 9). Pure.
import { clockStatuses, type ClockId } from './case-clocks.ts';
import { isTerminal, type CaseView } from './case-model.ts';
import type { TimedStage } from './sla.ts';

/**
 * `handled`: the complainant got an answer. `missed`: its answer deadline passed unanswered.
 * `undecided`: still open and within that deadline; like a pending stage deadline, it is left
 * out of the rate until one of the other two happens.
 */
export type ComplaintHandling = 'handled' | 'missed' | 'undecided';

/**
 * The clocks an answer meets (seed 002): a major complaint handled and answered within 48 hours,
 * every complaint's written result within 5 working days.
 */
const answerClocks: readonly ClockId[] = ['complaint_handled', 'complaint_written_result'];

/** The staff's stage deadlines: a case opened before clocks is judged on them (follow-up is the reporter's time). */
const staffStages: readonly TimedStage[] = [
  'analysing',
  'awaiting_signoff',
  'adjudicating',
  'rectifying',
  'reviewing',
];

/**
 * How a complaint stands at `atMs`. Answered means the case reached follow-up, was closed, or was
 * withdrawn (found invalid and answered), or its answer clock was met before a reopening; an answer
 * after the deadline is still an answer (its lateness is the answer clocks' own KPI). A case opened
 * before clocks existed has passed its deadline once one of its staff stage deadlines was breached
 * or is past due.
 */
export function complaintHandling(
  v: Pick<CaseView, 'stage' | 'deadlines' | 'clocks' | 'pauses' | 'timeline' | 'closedAt'>,
  atMs: number,
): ComplaintHandling {
  const clocks = clockStatuses(v, atMs).filter((c) => answerClocks.includes(c.id));
  if (isTerminal(v.stage) || v.stage === 'follow_up' || clocks.some((c) => c.state === 'met'))
    return 'handled';
  const passed =
    clocks.length > 0
      ? clocks.some((c) => c.state === 'breached')
      : v.deadlines.some(
          (d) =>
            staffStages.includes(d.stage) &&
            (d.state === 'breached' || (d.state === 'pending' && Date.parse(d.due) <= atMs)),
        );
  return passed ? 'missed' : 'undecided';
}
