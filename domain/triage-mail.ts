import { mailGreeting, mailHalves, mailHtml, mailSubject, mailText, type MailHalf } from './mail-document.ts';
import { triageRungLabel, type TriageNotice } from './report-triage.ts';
import { noAutolink, noAutolinkPair } from './no-autolink.ts';
import type { Bilingual } from './text.ts';

/**
 * The email of one notice of an untriaged report (at its arrival when it goes first, a reminder,
 * or its escalation up the grid): laid out as the case mails are (the reader's language first,
 * greeted once in it, the triage page a labelled button rather than its address).
 */
export function triageNoticeMail(
  lang: 'zh-CN' | 'en',
  given: {
    notice: Pick<TriageNotice, 'kind' | 'rung'>;
    reportId: string;
    name: string;
    placeName: Bilingual;
    kindLabel: Bilingual;
    description: string;
    waitedText: Bilingual;
    /**
     * An arrival notice held to working hours (the report came in at night): it says how long the
     * report has waited rather than that it has just come in.
     */
    held?: boolean | undefined;
    triageUrl: string;
  },
): { subject: string; text: string; html: string } {
  // What the reporter typed (anonymous, often) and the names it is quoted with link nowhere, in
  // either part or the subject; the triage page's address, added here, stays a working link.
  const a = {
    ...given,
    name: noAutolink(given.name),
    placeName: noAutolinkPair(given.placeName),
    description: noAutolink(given.description),
  };
  const { kind } = a.notice;
  const reminder = kind === 'reminder';
  const rung = triageRungLabel[a.notice.rung];
  const body: Record<MailHalf, string[]> = {
    zh: [
      kind === 'arrival'
        ? a.held
          ? `${a.placeName.zh} 在非工作时间收到一份扫码报告（${a.kindLabel.zh}），已等待 ${a.waitedText.zh}，请立即分派。`
          : `${a.placeName.zh} 刚收到一份扫码报告（${a.kindLabel.zh}），请立即分派。`
        : reminder
          ? `${a.placeName.zh} 的扫码报告（${a.kindLabel.zh}）已等待 ${a.waitedText.zh}，仍未分派。`
          : `${a.placeName.zh} 的扫码报告（${a.kindLabel.zh}）已等待 ${a.waitedText.zh} 仍无人分派，现上报${rung.zh}。`,
      `报告内容：${a.description}`,
      '请立案、并入已有案件或说明不予受理的原因。',
    ],
    en: [
      kind === 'arrival'
        ? a.held
          ? `A scanned-code report (${a.kindLabel.en}) came in at ${a.placeName.en} out of working hours and has waited ${a.waitedText.en}: triage it now.`
          : `A scanned-code report (${a.kindLabel.en}) has just come in at ${a.placeName.en}: triage it now.`
        : reminder
          ? `A scanned-code report (${a.kindLabel.en}) at ${a.placeName.en} has waited ${a.waitedText.en} for triage.`
          : `A scanned-code report (${a.kindLabel.en}) at ${a.placeName.en} has waited ${a.waitedText.en} and nobody has triaged it; it now goes to ${rung.en}.`,
      `The report: ${a.description}`,
      'Open a case, merge it into one, or reject it with a reason.',
    ],
  };
  const open: Record<MailHalf, string> = { zh: '打开分派页面', en: 'Open the triage page' };
  // The text part has no button: each half keeps the address after its label.
  const textLines = (h: MailHalf) => [...body[h], `${open[h]}${h === 'zh' ? '：' : ': '}${a.triageUrl}`];
  const [first, second] = mailHalves(lang);
  const greeting = mailGreeting(lang, a.name);
  return {
    subject: mailSubject(
      lang,
      kind === 'arrival'
        ? {
            zh: `【新报告，请立即分派】${a.reportId} ${a.placeName.zh}`,
            en: `[New report, triage now] ${a.reportId} ${a.placeName.en}`,
          }
        : reminder
          ? {
              zh: `【待分派提醒】${a.reportId} ${a.placeName.zh}`,
              en: `[Triage reminder] ${a.reportId} ${a.placeName.en}`,
            }
          : {
              zh: `【报告未分派】${a.reportId} ${a.placeName.zh}`,
              en: `[Report not triaged] ${a.reportId} ${a.placeName.en}`,
            },
    ),
    text: mailText(greeting, textLines(first), textLines(second)),
    html: mailHtml({
      first,
      greeting,
      lead: body[first],
      links: [{ href: a.triageUrl, label: open, look: 'primary' }],
      other: body[second],
    }),
  };
}
