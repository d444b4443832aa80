import type { Language } from './directory.ts';
import {
  mailGreeting,
  mailHalves,
  mailHtml,
  mailSubject,
  mailText,
  type MailHalf,
  type MailPara,
} from './mail-document.ts';
import type { Bilingual } from './text.ts';

/**
 * The one mail that gathers a supervisor's further review requests of a window
 * (REVIEW_DIGEST_WINDOW_MS after the one sent at once): every case with its number, title,
 * building, review deadline and a link to its review. Laid out as the case mails are: the
 * reader's language first, greeted once in it.
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
  building: Bilingual;
  /** The review's deadline on the campus wall clock; absent when the stage has none. */
  dueText?: string | undefined;
  /** The case page, where the review is done (behind sign-in). */
  reviewUrl: string;
}

export interface ReviewDigestMail {
  recipientName: string;
  /** The window's length in minutes, as the mail states it. */
  windowMinutes: number;
  cases: ReviewDigestCase[];
}

const review: Record<MailHalf, string> = { zh: '去复查', en: 'Review it' };
// Chinese runs on after its full stop; English leaves a space.
const gap: Record<MailHalf, string> = { zh: '', en: ' ' };

/** One case as a line of the mail, in one language, without its link. */
export function reviewDigestLine(l: MailHalf, c: ReviewDigestCase): string {
  return l === 'zh'
    ? `${c.caseId}「${c.title}」（${c.building.zh}${c.dueText ? `，复查时限 ${c.dueText}` : ''}）。`
    : `${c.caseId} "${c.title}" (${c.building.en}${c.dueText ? `, review due ${c.dueText}` : ''}).`;
}

/** The digest to one reader, their language first. */
export function reviewDigestMail(
  lang: Language,
  m: ReviewDigestMail,
): { subject: string; text: string; html: string } {
  const n = m.cases.length;
  const intro: Record<MailHalf, string> = {
    zh: `过去 ${m.windowMinutes} 分钟内又有 ${n} 件案件的整改已上报，等待您复查（为免逐件来信，合并为本邮件）：`,
    en: `In the last ${m.windowMinutes} minutes ${n} more case(s) reported their rectification and wait for your review (gathered into this one mail rather than one each):`,
  };
  const text = (l: MailHalf) => [
    intro[l],
    ...m.cases.map(
      (c) => `${reviewDigestLine(l, c)}${gap[l]}${review[l]}${l === 'zh' ? '：' : ': '}${c.reviewUrl}`,
    ),
  ];
  // Each case line ends in its own link: a button per case would bury the list.
  const html = (l: MailHalf): MailPara[] => [
    intro[l],
    ...m.cases.map((c) => ({
      line: `${reviewDigestLine(l, c)}${gap[l]}`,
      link: { href: c.reviewUrl, label: review[l] },
    })),
  ];
  const [first, second] = mailHalves(lang);
  const greeting = mailGreeting(lang, m.recipientName);
  return {
    subject: mailSubject(lang, {
      zh: `【待复查】${n} 件案件整改已完成`,
      en: `[Review needed] ${n} case(s) rectified`,
    }),
    text: mailText(greeting, text(first), text(second)),
    html: mailHtml({ first, greeting, lead: html(first), links: [], other: html(second) }),
  };
}
