import {
  allHandlersFinished,
  condition,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
} from '@temporalio/workflow';
import type { CaseActivities } from '../../activities/index.ts';
import { isTerminal, type CaseInput, type CaseView } from '../../domain/case-model.ts';
import { CASE_CLOCKS_PATCH, planClocks, watchPauses } from './clocks.ts';
import { superviseStage, watchLeadership } from './deadlines.ts';
import { caseViewQuery, openedUpdate } from './messages.ts';
import { CaseState } from './state.ts';
import { registerSteps } from './steps.ts';

export { SURVEY_REMINDER_PATCH } from './deadlines.ts';

const acts = proxyActivities<CaseActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});
// Deadline arithmetic runs as a local activity so its result (which depends on
// calendar data that changes between deployments) is recorded in history.
const local = proxyLocalActivities<CaseActivities>({ startToCloseTimeout: '30 seconds' });

/**
 * One durable workflow per case, from detection to closure. This is the lifecycle only:
 * the case's state and stage moves live in `state.ts`, the human steps (one update and
 * validator each) in `steps.ts`, the deadlines, reminders, escalation and leadership
 * notices in `deadlines.ts`; who is told what comes from domain/.
 *
 * The order in which this function and its parts issue commands is what the committed
 * replay histories (test/replay/histories) pin: a change to it goes behind `patched()`.
 */
export async function rectificationCase(input: CaseInput): Promise<CaseView> {
  const s = new CaseState(input, acts);

  // Queries and updates: registered before the first await.
  setHandler(caseViewQuery, () => s.view);
  setHandler(openedUpdate, async () => {
    await condition(() => s.opened);
    return s.view;
  });
  registerSteps(s);

  // Detected: recorded as it came in, then handed to the assignee for analysis.
  s.syncSearch();
  await s.record(input.openedBy, 'detected', {
    source: input.source,
    severity: input.severity,
    category: input.category,
    location: input.location,
    assigneeId: input.assigneeId,
    sla: { version: input.policy.slaVersion, ruleId: input.policy.slaRuleId },
  });
  s.moveTo('analysing');

  // Case-level clocks run from the report beside the stage deadlines; cases opened before them have none.
  const clocked = patched(CASE_CLOCKS_PATCH);
  if (clocked) await planClocks(s, local);
  const pauses = clocked ? watchPauses(s) : Promise.resolve();

  // Runs beside the stages: leadership hears of a major case at once, not when analysis ends.
  const leadership = input.severity === 'major' ? watchLeadership(s) : Promise.resolve();

  // One pass per stage, until the case is closed or withdrawn. Bounded: stages move only on
  // a human step or a follow-up timeout; each pass sends a fixed number of reminders and at
  // most one escalation per rung of the (finite) chain, then waits without a timer.
  // Comments are capped (MAX_COMMENTS). The first pass opens the case (assignment, 201).
  for (let first = true; !isTerminal(s.view.stage); first = false) {
    await superviseStage(s, local, first);
  }

  await leadership;
  await pauses;
  await condition(allHandlersFinished);
  await s.settled();
  return s.view;
}
