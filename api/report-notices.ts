import { WorkflowNotFoundError } from '@temporalio/client';
import { z } from 'zod';
import type { Directory } from '../domain/directory.ts';
import { reportKindInfo, reportStatusLabel, type ReportKind } from '../domain/intake.ts';
import { reportTriageWorkflowId, triageRecipients } from '../domain/report-triage.ts';
import type { Bilingual } from '../domain/text.ts';
import { sendOnce } from '../store/outbox.ts';
import { reportsOfCase, type Report } from '../store/reports.ts';
import { reportTriagedSignal } from '../workflows/report-triage/messages.ts';
import type { reportTriage } from '../workflows/report-triage/workflow.ts';
import type { AppDeps } from './deps.ts';

/**
 * What a scanned-code report sets going outside its own records: the emails that tell the
 * reporter what became of it (received, a case, merged, rejected, the case withdrawn), and the
 * run that chases it up the grid until someone triages it. The public form, the triage page and
 * the case steps all call these, so each rule is in one place.
 */

export type ReporterEvent = 'received' | 'case' | 'merged' | 'rejected' | 'withdrawn';

const eventLabel: Record<ReporterEvent, Bilingual> = {
  ...reportStatusLabel,
  withdrawn: { zh: '案件已撤销', en: 'The case was withdrawn' },
};

const emailOf = (contact: string | undefined): string | undefined =>
  contact && z.email().safeParse(contact).success ? contact : undefined;

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  );

/**
 * Tells a reporter who left an email what happened to the report, with the reason where there
 * is one (merged, rejected, withdrawn); sent once per report and event.
 */
export async function notifyReporter(
  deps: AppDeps,
  report: Report,
  event: ReporterEvent,
  opts: { trackUrl?: string | undefined; reason?: string | undefined } = {},
): Promise<void> {
  const to = emailOf(report.contact);
  if (!to) return;
  const status = eventLabel[event];
  const reason = opts.reason ?? (event === 'withdrawn' ? undefined : report.reason);
  const lines = [
    `您的报告 ${report.reportId}：${status.zh}`,
    reason ? `原因：${reason}` : '',
    `Your report ${report.reportId}: ${status.en}`,
    reason ? `Reason: ${reason}` : '',
    report.caseId ? `案件编号 / Case: ${report.caseId}` : '',
    opts.trackUrl ? `查看进度 / Follow it: ${opts.trackUrl}` : '',
  ].filter(Boolean);
  await sendOnce(deps.aws, { scope: `report-${report.reportId}`, key: event }, async () => ({
    to,
    subject: `[Rectify] ${report.reportId} ${status.zh} / ${status.en}`,
    text: lines.join('\n'),
    html: lines.map((l) => `<p>${escapeHtml(l)}</p>`).join(''),
  }));
}

/** Tells everyone whose report a withdrawn case answered, with the supervisor's reason. */
export async function tellReportersOfWithdrawal(
  deps: AppDeps,
  caseId: string,
  reason: string,
): Promise<void> {
  for (const report of await reportsOfCase(deps.aws, caseId))
    await notifyReporter(deps, report, 'withdrawn', { reason });
}

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
        {
          reportId: report.reportId,
          receivedAt: report.receivedAt,
          severity: reportKindInfo[report.kind as ReportKind].severity,
          recipients: triageRecipients(dir, report.location),
          timeZone: deps.env.CAMPUS_TZ,
          workingHours: deps.env.WORKING_HOURS,
        },
      ],
    });
  } catch (err) {
    console.error(`[intake] the triage chase of ${report.reportId} did not start`, err);
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
