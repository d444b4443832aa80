import type { CaseAction } from './case-action.ts';
import type { Language } from './directory.ts';
import { reportReasonIn } from './intake.ts';
import { mailGreeting, mailHalves, mailHtml, mailText, type MailHalf } from './mail-document.ts';
import { noAutolink, noAutolinkPair } from './no-autolink.ts';
import type { Bilingual } from './text.ts';

/** What a reporter is told about one event of a scanned-code report (store/reporter-notices.ts sends it). */
export interface ReporterNoticeContext {
  reportId: string;
  /** What became of the report, as the reporter reads it. */
  status: Bilingual;
  /** What the reporter can do now (rate the result on their page), a line of its own. */
  note?: Bilingual | undefined;
  /** Why (a merge, a rejection, a withdrawal); may be written "中文 / English". */
  reason?: string | undefined;
  caseId?: string | undefined;
  trackUrl?: string | undefined;
  /** The name the reporter left, if any. */
  name?: string | undefined;
  /** The place the report was made at, when the directory still has it. */
  place?: Bilingual | undefined;
}

/**
 * The records that mean a case's result is in: its review passed, or it closed (a case that
 * passed its review before merged reporters were told hears of it at its close). A reporter
 * whose report was merged into the case is told then, once (store/reporter-notices.ts).
 */
export const caseResultActions: readonly CaseAction[] = [
  'review_passed',
  'closed',
  'closed_unrated',
  'follow_up_rated',
];

/**
 * The language a reporter's mail is written in first: their own where the directory knows them,
 * else that of the form they reported in, else Chinese (reports made before the form's language
 * was kept, and reporters by email alone).
 */
export const reporterLanguage = (known: Language | undefined, reportedIn: Language | undefined): Language =>
  known ?? reportedIn ?? 'zh-CN';

/**
 * One language's lines, without a greeting (the mail greets once, in the reader's language). What
 * people typed (the reason staff gave, the place's name) is kept from becoming a link; the
 * tracking page's address, added here, is not.
 */
function block(l: MailHalf, given: ReporterNoticeContext): string[] {
  const n = { ...given, place: given.place && noAutolinkPair(given.place) };
  const reason = n.reason ? noAutolink(reportReasonIn(n.reason, l === 'en' ? 'en' : 'zh-CN')) : undefined;
  if (l === 'zh')
    return [
      `您${n.place ? `在${n.place.zh}` : ''}提交的报告 ${n.reportId}：${n.status.zh}`,
      reason ? `原因：${reason}` : '',
      n.note?.zh ?? '',
      n.caseId ? `案件编号：${n.caseId}` : '',
      n.trackUrl ? `查看进度：${n.trackUrl}` : '',
    ];
  return [
    `Your report ${n.reportId}${n.place ? ` at ${n.place.en}` : ''}: ${n.status.en}`,
    reason ? `Reason: ${reason}` : '',
    n.note?.en ?? '',
    n.caseId ? `Case: ${n.caseId}` : '',
    n.trackUrl ? `Follow it: ${n.trackUrl}` : '',
  ];
}

/**
 * A notice to a reporter in their language first (`reporterLanguage`): Chinese unless they are
 * known to read English or reported through the English form. Laid out as the case mails are
 * (`renderEmail`): greeted once, in that language (the other half is a translation, not a second
 * letter), by the name they left, which is kept from becoming a link since it goes to whatever
 * address they typed.
 */
export function renderReporterNotice(
  lang: Language,
  n: ReporterNoticeContext,
): { subject: string; text: string; html: string } {
  const [first, second] = mailHalves(lang);
  const subjects: Record<MailHalf, string> = {
    zh: `【整改】${n.reportId} ${n.status.zh}`,
    en: `[Rectify] ${n.reportId} ${n.status.en}`,
  };
  const greeting = mailGreeting(lang, noAutolink((n.name ?? '').trim()), 'reporter');
  const a = block(first, n).filter(Boolean);
  const b = block(second, n).filter(Boolean);
  // In the HTML the tracking page is a button (a bare address runs off a phone's screen), once.
  const withoutUrl = (lines: string[]) => lines.filter((l) => !n.trackUrl || !l.endsWith(n.trackUrl));
  const html = mailHtml({
    first,
    greeting,
    lead: withoutUrl(a),
    links: n.trackUrl
      ? [{ href: n.trackUrl, label: { zh: '查看处理进度', en: 'Follow your report' }, look: 'primary' }]
      : [],
    other: withoutUrl(b),
  });
  return {
    subject: `${subjects[first]} / ${subjects[second]}`,
    text: mailText(greeting, a, b),
    html,
  };
}
