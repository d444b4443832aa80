import type { CaseAction } from './case-action.ts';
import type { Language } from './directory.ts';
import { reportReasonIn } from './intake.ts';
import { linkButton } from './email-content.ts';
import { noAutolink, noAutolinkPair } from './no-autolink.ts';
import { escapeHtml, type Bilingual } from './text.ts';

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

type Half = 'zh' | 'en';

/**
 * The language a reporter's mail is written in first: their own where the directory knows them,
 * else that of the form they reported in, else Chinese (reports made before the form's language
 * was kept, and reporters by email alone).
 */
export const reporterLanguage = (known: Language | undefined, reportedIn: Language | undefined): Language =>
  known ?? reportedIn ?? 'zh-CN';

/**
 * One language's lines. What people typed (the reporter's own name, sent to whatever address they
 * typed; the reason staff gave; the place's name) is kept from becoming a link; the tracking
 * page's address, added here, is not.
 */
function block(l: Half, given: ReporterNoticeContext): string[] {
  const n = { ...given, place: given.place && noAutolinkPair(given.place) };
  const name = n.name === undefined ? undefined : noAutolink(n.name.trim());
  const reason = n.reason ? noAutolink(reportReasonIn(n.reason, l === 'en' ? 'en' : 'zh-CN')) : undefined;
  if (l === 'zh')
    return [
      name ? `${name}，您好：` : '您好：',
      `您${n.place ? `在${n.place.zh}` : ''}提交的报告 ${n.reportId}：${n.status.zh}`,
      reason ? `原因：${reason}` : '',
      n.note?.zh ?? '',
      n.caseId ? `案件编号：${n.caseId}` : '',
      n.trackUrl ? `查看进度：${n.trackUrl}` : '',
    ];
  return [
    name ? `Hello ${name},` : 'Hello,',
    `Your report ${n.reportId}${n.place ? ` at ${n.place.en}` : ''}: ${n.status.en}`,
    reason ? `Reason: ${reason}` : '',
    n.note?.en ?? '',
    n.caseId ? `Case: ${n.caseId}` : '',
    n.trackUrl ? `Follow it: ${n.trackUrl}` : '',
  ];
}

/**
 * A notice to a reporter in their language first (`reporterLanguage`): Chinese unless they are
 * known to read English or reported through the English form.
 */
export function renderReporterNotice(
  lang: Language,
  n: ReporterNoticeContext,
): { subject: string; text: string; html: string } {
  const [first, second]: [Half, Half] = lang === 'en' ? ['en', 'zh'] : ['zh', 'en'];
  const subjects: Record<Half, string> = {
    zh: `【整改】${n.reportId} ${n.status.zh}`,
    en: `[Rectify] ${n.reportId} ${n.status.en}`,
  };
  const a = block(first, n).filter(Boolean);
  const b = block(second, n).filter(Boolean);
  // In the HTML the tracking page is a button (a bare address runs off a phone's screen), once.
  const withoutUrl = (lines: string[]) => lines.filter((l) => !n.trackUrl || !l.endsWith(n.trackUrl));
  const trackLabel: Record<Half, string> = { zh: '查看处理进度', en: 'Follow your report' };
  const langOf = (h: Half) => (h === 'en' ? 'en' : 'zh-CN');
  const html = [
    `<div style="font-family:sans-serif" lang="${langOf(first)}">`,
    ...withoutUrl(a).map((l) => `<p>${escapeHtml(l)}</p>`),
    n.trackUrl ? linkButton(n.trackUrl, `${trackLabel[first]} / ${trackLabel[second]}`, 'primary') : '',
    `<hr><div lang="${langOf(second)}">`,
    ...withoutUrl(b).map((l) => `<p style="color:#555">${escapeHtml(l)}</p>`),
    '</div></div>',
  ].join('');
  return {
    subject: `${subjects[first]} / ${subjects[second]}`,
    text: [...a, '', '———', ...b].join('\n'),
    html,
  };
}
