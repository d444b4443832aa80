import { ApplicationFailure } from '@temporalio/activity';
import { reportKindInfo, type ReportKind } from '../domain/intake.ts';
import { placeByCode } from '../domain/places.ts';
import { triageChaseInput, waitedText, type TriageNotice } from '../domain/report-triage.ts';
import { triageNoticeMail } from '../domain/triage-mail.ts';
import type { WorkingHours } from '../domain/quiet-hours.ts';
import { loadDirectory } from '../store/directory.ts';
import { sendOnce } from '../store/outbox.ts';
import { getReport, markChaseStarted, unchasedReports } from '../store/reports.ts';
import type { ReportTriageInput } from '../workflows/report-triage/messages.ts';
import type { ActivityDeps } from './index.ts';

export interface TriageNoticeResult {
  /** The report was triaged already: the chase is over and nothing was sent. */
  triaged: boolean;
  sent: number;
}

/** The activities of an untriaged report's chase: each idempotent (one outbox row per report, notice and person). */
export function createReportTriageActivities(deps: ActivityDeps) {
  /** Sends one notice of the plan, unless the store says triage has already decided. */
  async function sendTriageNotice(input: {
    reportId: string;
    notice: TriageNotice;
  }): Promise<TriageNoticeResult> {
    const report = await getReport(deps, input.reportId);
    if (!report) throw ApplicationFailure.nonRetryable(`no report ${input.reportId}`, 'ReportTriageNoReport');
    if (report.status !== 'received') return { triaged: true, sent: 0 };
    const dir = await loadDirectory(deps.ddb, deps.tables);
    if (!dir) throw ApplicationFailure.create({ message: 'no campus directory is loaded' });
    const place = placeByCode(dir, report.placeCode);
    // From the plan, not this process's clock: the notice says how long the report had waited when it was due.
    const waitedMs = Date.parse(input.notice.at) - Date.parse(report.receivedAt);
    const waited = waitedText(waitedMs);
    // An arrival notice is planned at the report's own time unless working hours held it.
    const held = input.notice.kind === 'arrival' && waitedMs >= 60_000;
    let sent = 0;
    for (const id of input.notice.personIds) {
      const p = dir.people.find((x) => x.id === id);
      if (!p) continue;
      await sendOnce(
        deps,
        { scope: `report-${report.reportId}`, key: `triage-${input.notice.index}#${p.id}` },
        async () => ({
          to: p.email,
          ...triageNoticeMail(p.language, {
            notice: input.notice,
            reportId: report.reportId,
            name: p.name,
            placeName: place?.name ?? { zh: report.placeCode, en: report.placeCode },
            kindLabel: reportKindInfo[report.kind as ReportKind].label,
            description: [...report.description].slice(0, 200).join(''),
            waitedText: waited,
            held,
            triageUrl: `${deps.publicBaseUrl}/app/triage#${report.reportId}`,
          }),
        }),
      );
      sent++;
    }
    return { triaged: false, sent };
  }
  /**
   * The chases the sweep must start: untriaged reports received by `receivedBy` (the API starts
   * and marks a new report's chase itself) that no chase was marked for, with the plan's input.
   */
  async function reportsToChase(input: {
    timeZone: string;
    workingHours?: WorkingHours | undefined;
    /** Only reports received at or before this instant (the workflow's clock, not this process's). */
    receivedBy: string;
  }): Promise<ReportTriageInput[]> {
    const dir = await loadDirectory(deps.ddb, deps.tables);
    if (!dir) return [];
    const before = Date.parse(input.receivedBy);
    const reports = await unchasedReports(
      deps,
      dir.buildings.map((b) => b.id),
    );
    return reports
      .filter((r) => Date.parse(r.receivedAt) <= before)
      .map((r) => triageChaseInput(dir, r, input));
  }

  async function markChased(input: { reportId: string }): Promise<void> {
    await markChaseStarted(deps, input.reportId);
  }

  return { sendTriageNotice, reportsToChase, markChased };
}

export type ReportTriageActivities = ReturnType<typeof createReportTriageActivities>;
