import { WorkflowNotFoundError } from '@temporalio/client';
import type { Directory } from '../domain/directory.ts';
import { reportTriageWorkflowId, triageChaseInput } from '../domain/report-triage.ts';
import {
  notifyReporter as notifyReporterBy,
  tellReportersOfWithdrawal as tellReportersBy,
  type ReporterEvent,
} from '../store/reporter-notices.ts';
import { markChaseStarted, type Report } from '../store/reports.ts';
import { reportTriagedSignal } from '../workflows/report-triage/messages.ts';
import type { reportTriage } from '../workflows/report-triage/workflow.ts';
import type { AppDeps } from './deps.ts';

/**
 * What a scanned-code report sets going outside its own records: the emails that tell the
 * reporter what became of it (received, a case, merged, rejected, the case withdrawn), and the
 * run that chases it up the grid until someone triages it. The public form, the triage page and
 * the case steps all call these, so each rule is in one place.
 */

export type { ReporterEvent };

/** Tells a reporter who left an email what happened to the report (see store/reporter-notices.ts). */
export const notifyReporter = (
  deps: AppDeps,
  report: Report,
  event: ReporterEvent,
  opts: { trackUrl?: string | undefined; reason?: string | undefined } = {},
): Promise<void> =>
  notifyReporterBy(deps.aws, report, event, {
    ...opts,
    links: { keys: deps.signingKeys, publicBaseUrl: deps.publicBaseUrl },
  });

/** Tells everyone whose report a withdrawn case answered, with the supervisor's reason. */
export const tellReportersOfWithdrawal = (deps: AppDeps, caseId: string, reason: string): Promise<void> =>
  tellReportersBy(deps.aws, caseId, reason, { keys: deps.signingKeys, publicBaseUrl: deps.publicBaseUrl });

/**
 * Starts the run that chases a new report until it is triaged. The report is already saved and
 * the reporter already has the tracking link, so a Temporal outage costs the chase, not the report.
 */
export async function startTriageChase(deps: AppDeps, dir: Directory, report: Report): Promise<void> {
  try {
    await deps.temporal.workflow.start<typeof reportTriage>('reportTriage', {
      taskQueue: deps.env.TEMPORAL_TASK_QUEUE,
      workflowId: reportTriageWorkflowId(report.reportId),
      args: [
        triageChaseInput(dir, report, { timeZone: deps.env.CAMPUS_TZ, workingHours: deps.env.WORKING_HOURS }),
      ],
    });
    await markChaseStarted(deps.aws, report.reportId);
  } catch (err) {
    // The report is kept; the sweep (schedule rectify-report-sweep) starts its chase later.
    console.error(`[intake] the triage chase of ${report.reportId} did not start; the sweep will`, err);
  }
}

/** Stops a report's chase once triage decided; a chase already over has nothing to stop. */
export async function stopTriageChase(deps: AppDeps, report: Report): Promise<void> {
  try {
    await deps.temporal.workflow
      .getHandle(reportTriageWorkflowId(report.reportId))
      .signal(reportTriagedSignal, { status: report.status });
  } catch (err) {
    // The chase also reads the report before each notice, so a missed signal only costs a lookup.
    if (!(err instanceof WorkflowNotFoundError)) console.warn(`[intake] chase of ${report.reportId}`, err);
  }
}
