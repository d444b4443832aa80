import { escapeHtml } from './text.ts';
import type { Language } from './directory.ts';
import { headerSafe } from './safe-text.ts';
import { noAutolink } from './no-autolink.ts';
import type { Bilingual } from './text.ts';

/**
 * The warning that next year's official holiday arrangement is not in the
 * calendar yet. The State Council usually publishes it in November or
 * December; from 1 November (campus date) admins are told every day until it
 * is entered, because every case opened until then counts its working-day
 * deadlines in that year with weekends only, for its whole life (it keeps the
 * calendar it pinned). Pure: no I/O.
 */
export const WARN_FROM = { month: 11, day: 1 } as const;

/** The year whose official data is missing, when `date` (campus YYYY-MM-DD) is on or after 1 November; else null. */
export function missingNextYear(date: string, hasOfficialData: (year: number) => boolean): number | null {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  if (m < WARN_FROM.month || (m === WARN_FROM.month && d < WARN_FROM.day)) return null;
  return hasOfficialData(y + 1) ? null : y + 1;
}

/** The dashboard banner and the page's notice. */
export function missingYearNotice(year: number): Bilingual {
  return {
    zh: `${year} 年的国务院节假日安排尚未录入校历：落在 ${year} 年的期限目前只按周末计算工作日。通知发布后，请管理员尽早在“校历”页按通知录入（不得自行推测）；录入后新立的案件按其计算，进行中的案件也会在几分钟内重新计算尚未超时的期限。`,
    en: `${year}'s official holiday arrangement is not in the calendar yet: deadlines falling in ${year} count weekends only for now. When the State Council publishes its notice, an admin enters it on the calendar page as soon as possible (never guessed); cases opened from then on count with it, and running cases recount their deadlines not yet overdue within minutes.`,
  };
}

/** The daily email to each admin, both languages, the reader's first. */
export function missingYearMail(
  lang: Language,
  a: { year: number; date: string; name: string; calendarUrl: string },
): { subject: string; text: string; html: string } {
  const notice = missingYearNotice(a.year);
  // The admin's name as typed into the directory: no link of its own, nor one for the line's
  // address pattern below to draw around it.
  const name = noAutolink(a.name);
  const zh = [
    `${name}，您好：`,
    notice.zh,
    `录入方法：在校历页添加一行 official ${a.year} <通知标题>，再按通知逐行录入 holiday（放假）与 workday（调休上班）。`,
    `校历页：${a.calendarUrl}`,
    `本提醒自 11 月 1 日起每天发送，直到录入为止（${a.date}）。`,
  ];
  const en = [
    `Dear ${name},`,
    notice.en,
    `How: on the calendar page add a line official ${a.year} <title of the notice>, then its holiday and workday (make-up working day) lines exactly as the notice lists them.`,
    `Calendar page: ${a.calendarUrl}`,
    `This reminder goes out every day from 1 November until the year is entered (${a.date}).`,
  ];
  const blocks = lang === 'en' ? [en, zh] : [zh, en];
  const subject = {
    zh: `【校历】${a.year} 年法定节假日安排尚未录入`,
    en: `[Calendar] ${a.year}'s official holidays not entered yet`,
  };
  return {
    subject: headerSafe(lang === 'en' ? `${subject.en} / ${subject.zh}` : `${subject.zh} / ${subject.en}`),
    text: blocks.map((b) => b.join('\n')).join('\n\n----\n\n'),
    html: blocks
      .map(
        (b) =>
          `<div>${b.map((l) => `<p>${escapeHtml(l).replace(/(https?:\/\/\S+)/g, '<a href="$1">$1</a>')}</p>`).join('')}</div>`,
      )
      .join('<hr>'),
  };
}
