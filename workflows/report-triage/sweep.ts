import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { proxyActivities, startChild } from '@temporalio/workflow';
import type { ReportTriageActivities } from '../../activities/report-triage.ts';
import type { WorkingHours } from '../../domain/quiet-hours.ts';
import { reportTriageWorkflowId } from '../../domain/report-triage.ts';
import { reportTriage } from './workflow.ts';

const acts = proxyActivities<ReportTriageActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 5 },
});

export interface ReportSweepInput {
  config: { timeZone: string; workingHours?: WorkingHours | undefined };
}

/** A report the API saw arrive is given this long to have its chase started and marked by the API. */
const API_GRACE_MS = 2 * 60_000;

/**
 * Starts the triage chase of every untriaged report that has none: a report is saved before its
 * chase starts, so one that came in while Temporal could not be reached (or whose API process
 * died in between) would otherwise never be chased. A chase that ever ran for a report is not
 * run again (REJECT_DUPLICATE): one that sent every notice stays over.
 */
export async function reportSweep(input: ReportSweepInput): Promise<{ found: number; started: number }> {
  const reports = await acts.reportsToChase({
    ...input.config,
    receivedBy: new Date(Date.now() - API_GRACE_MS).toISOString(),
  });
  let started = 0;
  for (const r of reports) {
    try {
      await startChild(reportTriage, {
        workflowId: reportTriageWorkflowId(r.reportId),
        args: [r],
        parentClosePolicy: 'ABANDON',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
      started += 1;
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    await acts.markChased({ reportId: r.reportId });
  }
  return { found: reports.length, started };
}
