import { z } from 'zod';
import { reportStatusLabel } from '../domain/intake.ts';
import type { Bilingual } from '../domain/text.ts';
import type { AwsDeps } from './clients.ts';
import { loadDirectory } from './directory.ts';
import { placeByCode } from '../domain/places.ts';
import { renderReporterNotice, reporterLanguage } from '../domain/reporter-notice.ts';
import { sendOnce } from './outbox.ts';
import type { SigningKeys } from '../domain/link-token.ts';
import { getCaseRecord } from './case-records.ts';
import { reportsOfCase, trackUrlOf, type Report } from './reports.ts';

/**
 * The emails that tell a reporter what became of a scanned-code report (received, a case,
 * merged, rejected, the case withdrawn, the result of the case it was merged into). The API
 * sends them as triage decides; the case workflow sends the withdrawal notice itself, so it
 * goes even when the withdrawal did not come through the API or the API died after it, and its
 * activities send the result to merged reporters. Each goes once per report and event (outbox).
 */
type MailDeps = Pick<AwsDeps, 'ddb' | 'ses' | 'tables' | 'mailFrom' | 'smtp'>;

/** What re-makes a report's tracking link for a notice (store/reports.ts trackUrlOf). */
export interface TrackLinks {
  keys: SigningKeys;
  publicBaseUrl: string;
}

export type ReporterEvent = 'received' | 'case' | 'merged' | 'rejected' | 'withdrawn' | 'resolved';

const eventLabel: Record<ReporterEvent, Bilingual> = {
  ...reportStatusLabel,
  withdrawn: { zh: '案件已撤销', en: 'The case was withdrawn' },
  resolved: { zh: '问题已处理，复查合格', en: 'The problem was dealt with and passed review' },
};

/** What the reporter may do after the event, when there is something. */
const eventNote: Partial<Record<ReporterEvent, Bilingual>> = {
  resolved: {
    zh: '请在进度页面查看处理结果并评价（回访）。',
    en: 'See the result and rate it on your report’s page.',
  },
};

const emailOf = (contact: string | undefined): string | undefined =>
  contact && z.email().safeParse(contact).success ? contact : undefined;

/**
 * Tells a reporter who left an email what happened to the report, with the reason where there
 * is one (merged, rejected, withdrawn); sent once per report and event.
 */
export async function notifyReporter(
  deps: MailDeps,
  report: Report,
  event: ReporterEvent,
  opts: {
    trackUrl?: string | undefined;
    reason?: string | undefined;
    /** Re-makes the tracking link of a report whose token was derived (every later notice carries it). */
    links?: TrackLinks | undefined;
  } = {},
): Promise<void> {
  const to = emailOf(report.contact);
  if (!to) return;
  const trackUrl = opts.trackUrl ?? (opts.links ? trackUrlOf(opts.links, report) : null);
  const status = eventLabel[event];
  // The merge's reason was told with the merge; the outcome and the withdrawal carry their own.
  const reason = opts.reason ?? (event === 'withdrawn' || event === 'resolved' ? undefined : report.reason);
  await sendOnce(deps, { scope: `report-${report.reportId}`, key: event }, async () => {
    const dir = await loadDirectory(deps.ddb, deps.tables);
    // A reporter who is in the directory reads mail in their own language; anyone else in the
    // language of the form they reported in.
    const person = dir?.people.find((p) => p.email.toLowerCase() === to.toLowerCase());
    const place = dir ? placeByCode(dir, report.placeCode)?.name : undefined;
    return {
      to,
      ...renderReporterNotice(reporterLanguage(person?.language, report.language), {
        reportId: report.reportId,
        status,
        reason,
        note: eventNote[event],
        caseId: report.caseId,
        trackUrl: trackUrl ?? undefined,
        name: report.name,
        place,
      }),
    };
  });
}

/** Tells everyone whose report a withdrawn case answered, with the supervisor's reason. */
export async function tellReportersOfWithdrawal(
  deps: MailDeps,
  caseId: string,
  reason: string,
  links?: TrackLinks,
): Promise<void> {
  for (const report of await reportsOfCase(deps, caseId))
    await notifyReporter(deps, report, 'withdrawn', { reason, links });
}

/**
 * Tells everyone whose report was merged into a case that the case's result is in (its review
 * passed, or it closed), once per report: the case's own reporter hears it in the case's
 * result-and-survey mail, so a merged report by the same email is not told twice. Each merged
 * reporter rates on their own tracking page, which the notice links.
 */
export async function tellMergedReportersOfResult(
  deps: MailDeps,
  caseId: string,
  links?: TrackLinks,
): Promise<{ reportId: string; error: unknown }[]> {
  const view = await getCaseRecord(deps.ddb, deps.tables, caseId);
  const own = view?.reporter?.email?.toLowerCase();
  // One reporter's mail that fails must not keep the others from theirs: each is tried, and
  // the failures are handed back for the caller to retry or to set aside.
  const failed: { reportId: string; error: unknown }[] = [];
  for (const report of await reportsOfCase(deps, caseId)) {
    if (report.status !== 'merged' || report.caseId !== caseId) continue;
    if (own && emailOf(report.contact)?.toLowerCase() === own) continue;
    try {
      await notifyReporter(deps, report, 'resolved', { links });
    } catch (error) {
      failed.push({ reportId: report.reportId, error });
    }
  }
  return failed;
}
