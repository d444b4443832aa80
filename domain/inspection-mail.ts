import type { Person } from './directory.ts';
import { roundKindNames, type RoundKind } from './inspection.ts';
import { mailGreeting, mailHalves, mailHtml, mailSubject, mailText, type MailHalf } from './mail-document.ts';
import { noAutolink, noAutolinkPair } from './no-autolink.ts';
import type { Bilingual } from './text.ts';

/**
 * The mail that tells a supervisor an inspection round is theirs and where its checklist is:
 * laid out as the case mails are (their language first, greeted once, the checklist a button).
 */
export function inspectionRoundMail(
  reader: Pick<Person, 'name' | 'language'>,
  given: { kind: RoundKind; period: string; items: number; building: Bilingual; url: string },
): { subject: string; text: string; html: string } {
  // The names people typed into the directory link nowhere; the checklist's address is the mail's own.
  const r = { ...given, building: noAutolinkPair(given.building) };
  const kind = roundKindNames[r.kind];
  const { period, items } = r;
  const intro: Record<MailHalf, string> = {
    zh: `请完成 ${r.building.zh} ${period} ${kind.zh}（共 ${items} 项），逐项记录合格、不合格或不适用；不合格项将自动立案整改。`,
    en: `Please carry out the ${kind.en.toLowerCase()} of ${r.building.en} for ${period} (${items} items): mark each pass, fail or not applicable; a failed item opens a rectification case.`,
  };
  const checklist: Record<MailHalf, string> = { zh: '检查表', en: 'Checklist' };
  const textLines = (h: MailHalf) => [intro[h], `${checklist[h]}${h === 'zh' ? '：' : ': '}${r.url}`];
  const [first, second] = mailHalves(reader.language);
  const greeting = mailGreeting(reader.language, noAutolink(reader.name));
  return {
    subject: mailSubject(reader.language, {
      zh: `【${kind.zh}】${r.building.zh} ${period}`,
      en: `[${kind.en}] ${r.building.en} ${period}`,
    }),
    text: mailText(greeting, textLines(first), textLines(second)),
    html: mailHtml({
      first,
      greeting,
      lead: [intro[first]],
      links: [{ href: r.url, label: { zh: '打开检查表', en: 'Open the checklist' }, look: 'primary' }],
      other: [intro[second]],
    }),
  };
}
