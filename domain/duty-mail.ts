import type { Person } from './directory.ts';
import { evidenceNames, frequencyNames, type DutyDefinition, type DutyOccurrence } from './duties.ts';
import { mailGreeting, mailHalves, mailHtml, mailSubject, mailText, type MailHalf } from './mail-document.ts';
import { noAutolink, noAutolinkPair } from './no-autolink.ts';
import type { Bilingual } from './text.ts';

/**
 * The mail that tells a duty's owner it is open, or reminds them of it: laid out as the case
 * mails are (their language first, greeted once, the record page a button).
 */
export function dutyMail(
  reader: Pick<Person, 'name' | 'language'>,
  m: {
    /** What the mail is: the duty opening, or a reminder. */
    tag: Bilingual;
    duty: Pick<DutyDefinition, 'name' | 'frequency' | 'requirement' | 'evidence' | 'dueTime'>;
    occurrence: Pick<DutyOccurrence, 'periodLabel' | 'progress'>;
    building: Bilingual;
    /** The day it is due, in the campus time zone. */
    dueDate: string;
    url: string;
  },
): { subject: string; text: string; html: string } {
  const { duty: d, occurrence: o } = m;
  // The names people typed into the directory (the reader's, the building's) link nowhere; the
  // duty's words are the catalogue's, and the record page's address is the mail's own.
  const building = noAutolinkPair(m.building);
  const readerName = noAutolink(reader.name);
  const left = o.progress
    .filter((p) => p.done < p.times)
    .map((p) => ({ zh: `${p.label.zh} ${p.done}/${p.times}`, en: `${p.label.en} ${p.done}/${p.times}` }));
  const evidence = d.evidence.map((k) => evidenceNames[k]);
  const body: Record<MailHalf, string[]> = {
    zh: [
      `${building.zh}「${d.name.zh}」（${frequencyNames[d.frequency].zh}，${o.periodLabel.zh}）须在 ${m.dueDate} ${d.dueTime} 前完成。`,
      `要求：${d.requirement.zh}`,
      ...(left.length ? [`尚未完成：${left.map((x) => x.zh).join('、')}`] : []),
      ...(evidence.length ? [`佐证材料：${evidence.map((x) => x.zh).join('、')}`] : []),
      '逾期未完成将自动立案整改。',
    ],
    en: [
      `${d.name.en} (${frequencyNames[d.frequency].en.toLowerCase()}, ${o.periodLabel.en}) in ${building.en} is due by ${m.dueDate} ${d.dueTime}.`,
      `Requirement: ${d.requirement.en}`,
      ...(left.length ? [`Still to do: ${left.map((x) => x.en).join(', ')}`] : []),
      ...(evidence.length ? [`Evidence: ${evidence.map((x) => x.en.toLowerCase()).join(', ')}`] : []),
      'Missed, it opens a rectification case.',
    ],
  };
  const record: Record<MailHalf, string> = { zh: `登记：${m.url}`, en: `Record it: ${m.url}` };
  const [first, second] = mailHalves(reader.language);
  const greeting = mailGreeting(reader.language, readerName);
  return {
    subject: mailSubject(reader.language, {
      zh: `【${m.tag.zh}】${d.name.zh} ${o.periodLabel.zh}`,
      en: `[${m.tag.en}] ${d.name.en} ${o.periodLabel.en}`,
    }),
    text: mailText(greeting, [...body[first], record[first]], [...body[second], record[second]]),
    html: mailHtml({
      first,
      greeting,
      lead: body[first],
      links: [{ href: m.url, label: { zh: '登记完成情况', en: 'Record it' }, look: 'primary' }],
      other: body[second],
    }),
  };
}
