import { allHandlersFinished, condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { ReportTriageActivities } from '../../activities/report-triage.ts';
import { triageNoticePlan } from '../../domain/report-triage.ts';
import {
  reportTriagedSignal,
  reportTriageQuery,
  type ReportTriageInput,
  type ReportTriageState,
} from './messages.ts';

const acts = proxyActivities<ReportTriageActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumAttempts: 20 },
});

/**
 * One untriaged scanned-code report, chased like a case's overdue step: a reminder to the
 * people who triage it, then up the grid (level 1, supervisors, working group), each held
 * to working hours, until triage decides. Each notice first asks the store, so a signal
 * lost on the way still stops the chase at the next notice.
 */
export async function reportTriage(input: ReportTriageInput): Promise<ReportTriageState> {
  const state: ReportTriageState = { reportId: input.reportId, plan: triageNoticePlan(input), sent: [] };
  let triaged = false;
  setHandler(reportTriagedSignal, () => {
    triaged = true;
  });
  setHandler(reportTriageQuery, () => state);

  for (const notice of state.plan) {
    if (await condition(() => triaged, Math.max(0, Date.parse(notice.at) - Date.now()))) break;
    const r = await acts.sendTriageNotice({ reportId: input.reportId, notice });
    if (r.triaged) {
      triaged = true;
      break;
    }
    state.sent.push(notice.index);
  }
  state.outcome = triaged ? 'triaged' : 'exhausted';
  await condition(allHandlersFinished);
  return state;
}
