import { caseTitleIn } from './case-title.ts';
import type { Language } from './directory.ts';
import { enCount } from './english-count.ts';
import {
  mailGreeting,
  mailHalves,
  mailHtml,
  mailSubject,
  mailText,
  type MailHalf,
  type MailPara,
} from './mail-document.ts';
import { noAutolink } from './no-autolink.ts';
import type { Bilingual } from './text.ts';

/**
 * The one mail that gathers a supervisor's further review requests of a window
 * (REVIEW_DIGEST_WINDOW_MS after the one sent at once): every case still awaiting it with its
 * number, title, place, review deadline and a link to its review, the most urgent first, and how
 * many others of the window were handled meanwhile. Laid out as the case mails are: the reader's
 * language first, greeted once in it.
 */

/**
 * How long after a review request sent at once its reader's further ones are gathered into one
 * digest (sent when the window ends) rather than mailed one by one: a busy term brought one
 * supervisor 56 in a minute. The first of a window still goes at once, so a quiet building's
 * supervisor hears of a review without waiting.
 */
export const REVIEW_DIGEST_WINDOW_MS = 15 * 60_000;

export interface ReviewDigestCase {
  caseId: string;
  title: string;
  /** Where the case is, as people name it (room, floor or building). */
  place: Bilingual;
  /** The review's deadline (ISO): the mail lists the earliest first. */
  dueAt?: string | undefined;
  /** The same deadline on the campus wall clock, its zone named; absent when the stage has none. */
  dueText?: string | undefined;
  /** The case page, where the review is done (behind sign-in). */
  reviewUrl: string;
}

export interface ReviewDigestMail {
  recipientName: string;
  /** The window's length in minutes, as the mail states it. */
  windowMinutes: number;
  cases: ReviewDigestCase[];
  /** Cases gathered in the window that no longer await this review (reviewed, withdrawn, closed). */
  alreadyHandled?: number | undefined;
}

const review: Record<MailHalf, string> = { zh: '去复查', en: 'Review it' };
// Chinese runs on after its full stop; English leaves a space.
const gap: Record<MailHalf, string> = { zh: '', en: ' ' };
const linkLead: Record<MailHalf, string> = { zh: '：', en: ': ' };

/** One case as a line of the mail, in one language, without its link; the typed title and place link nowhere. */
export function reviewDigestLine(l: MailHalf, c: ReviewDigestCase): string {
  const title = noAutolink(caseTitleIn(c.title, l));
  const place = noAutolink(c.place[l]);
  return l === 'zh'
    ? `${c.caseId}「${title}」，${place}${c.dueText ? `，复查时限 ${c.dueText}` : ''}。`
    : `${c.caseId} "${title}", ${place}${c.dueText ? `, review due ${c.dueText}` : ''}.`;
}

/** The most urgent review first; those without a deadline last, each group in the order gathered. */
function byDue(cases: readonly ReviewDigestCase[]): ReviewDigestCase[] {
  const due = (c: ReviewDigestCase) => (c.dueAt ? Date.parse(c.dueAt) : Number.MAX_SAFE_INTEGER);
  return [...cases].sort((a, b) => due(a) - due(b));
}

/** The digest to one reader, their language first. */
export function reviewDigestMail(
  lang: Language,
  m: ReviewDigestMail,
): { subject: string; text: string; html: string } {
  const cases = byDue(m.cases);
  const n = cases.length;
  const intro: Record<MailHalf, string> = {
    zh: `过去 ${m.windowMinutes} 分钟内又有 ${n} 件案件的整改已上报，等待您复查。为免逐件来信，合并在此，复查时限最早的在前：`,
    en: `In the last ${m.windowMinutes} minutes, ${enCount(n, 'more case')} reported ${n === 1 ? 'its' : 'their'} rectification and ${n === 1 ? 'awaits' : 'await'} your review. Gathered here rather than mailed one by one, the earliest review due first:`,
  };
  const k = m.alreadyHandled ?? 0;
  // Said so the reader does not look for a case they heard of (a co-supervisor reviewed it).
  const handled = (l: MailHalf): string[] =>
    k === 0
      ? []
      : l === 'zh'
        ? [`另有 ${k} 件已有人复查，或已撤销、关闭，不再列出。`]
        : [
            `${enCount(k, 'more case')} ${k === 1 ? 'was' : 'were'} already reviewed, withdrawn or closed, and ${k === 1 ? 'is' : 'are'} not listed.`,
          ];
  const text = (l: MailHalf) => [
    intro[l],
    ...cases.map((c) => `${reviewDigestLine(l, c)}${gap[l]}${review[l]}${linkLead[l]}${c.reviewUrl}`),
    ...handled(l),
  ];
  // Each case line ends in its own link: a button per case would bury the list.
  const html = (l: MailHalf): MailPara[] => [
    intro[l],
    ...cases.map((c) => ({
      line: `${reviewDigestLine(l, c)}${gap[l]}`,
      link: { href: c.reviewUrl, label: review[l] },
    })),
    ...handled(l),
  ];
  const [first, second] = mailHalves(lang);
  const greeting = mailGreeting(lang, noAutolink(m.recipientName));
  return {
    subject: mailSubject(lang, {
      zh: `【待复查】汇总：又有 ${n} 件案件待您复查`,
      en: `[Review needed] Digest: ${enCount(n, 'more case')} to review`,
    }),
    text: mailText(greeting, text(first), text(second)),
    html: mailHtml({ first, greeting, lead: html(first), links: [], other: html(second) }),
  };
}
