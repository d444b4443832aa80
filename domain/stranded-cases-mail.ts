import { leftName } from './departed-name.ts';
import type { Language } from './directory.ts';
import { enCount, enNumber } from './english-count.ts';
import type { Stage } from './case-model.ts';
import {
  mailGreeting,
  mailHalves,
  mailHtml,
  mailSubject,
  mailText,
  type MailHalf,
  type MailPara,
} from './mail-document.ts';
import { stageStatusLabels } from './stage-labels.ts';
import { noAutolink, noAutolinkPair } from './no-autolink.ts';
import type { Bilingual } from './text.ts';

/**
 * The mail that tells a building's supervisors (or the working group, where the building has
 * none) that a directory save left open cases there with someone who can no longer act on them:
 * removed from the directory, or kept without a role that acts on cases. One mail per save and
 * reader, however many of their buildings it touched: the cases by building, each with its
 * number, stage, due (or since when it is overdue) and holder, and where to reassign it. Laid
 * out as the case mails are: the reader's language first, greeted once in it.
 */

/** How a case's holder stands after the save. */
export type HolderState = 'removed' | 'demoted';

export interface StrandedHolder {
  /** The name the directory last gave them (a removed person's from the version that had them). */
  name: string;
  state: HolderState;
  /** What they are on the case. */
  as: 'assignee' | 'responsible';
}

export interface StrandedCase {
  caseId: string;
  stage: Stage;
  /** The current stage's deadline on the campus wall clock; absent when the stage has none. */
  dueText?: string | undefined;
  /** The deadline has passed: the case is escalating rather than waiting to. */
  overdue: boolean;
  /**
   * The current stage waits on a stranded holder, so its reminders go to nobody; false where
   * someone else acts now (review and adjudication wait on the supervisors, follow-up on the
   * reporter) and the holder is needed only at a later step.
   */
  waitsOnHolder: boolean;
  holders: StrandedHolder[];
  /** The case page's reassign form (behind sign-in). */
  reassignUrl: string;
}

export interface StrandedBuilding {
  name: Bilingual;
  /** Working-group members hear it because the building has no supervisor of its own. */
  asWorkingGroup: boolean;
  cases: StrandedCase[];
  /** Cases left out of the list to keep the mail readable (the admin page lists them all). */
  more: number;
}

export interface StrandedCasesMail {
  recipientName: string;
  /** The directory version whose save stranded them. */
  version: number;
  /**
   * When that save was, on the campus wall clock: the mail may go a day later (the daily
   * catch-up of a save whose mail did not go), and the reader should not take it for today's.
   */
  savedText?: string | undefined;
  /** The reader's buildings with stranded cases, at least one. */
  buildings: StrandedBuilding[];
}

const holderState: Record<HolderState, Record<MailHalf, (name: string) => string>> = {
  removed: leftName,
  demoted: {
    zh: (n) => `${n}（已无处理案件的角色）`,
    en: (n) => `${n} (no longer in a role that acts on cases)`,
  },
};

const holderRole: Record<StrandedHolder['as'], Bilingual> = {
  assignee: { zh: '被指派人', en: 'assignee' },
  responsible: { zh: '责任人', en: 'responsible' },
};

const reassign: Record<MailHalf, string> = { zh: '改派', en: 'Reassign' };
// Chinese runs on after its full stop; English leaves a space.
const gap: Record<MailHalf, string> = { zh: '', en: ' ' };

/** The case's deadline as the line says it: still to come, or passed and since when. */
function dueNote(l: MailHalf, c: StrandedCase): string {
  if (!c.dueText) return '';
  if (c.overdue) return l === 'zh' ? `，自 ${c.dueText} 起超时` : `, overdue since ${c.dueText}`;
  return l === 'zh' ? `，时限 ${c.dueText}` : `, due ${c.dueText}`;
}

/** One case as a line of the mail, in one language, without its link. */
export function strandedCaseLine(l: MailHalf, c: StrandedCase): string {
  const stage = stageStatusLabels[c.stage][l];
  const holders = c.holders
    .map((h) => `${holderRole[h.as][l]}${l === 'zh' ? '：' : ': '}${holderState[h.state][l](h.name)}`)
    .join(l === 'zh' ? '；' : '; ');
  return l === 'zh'
    ? `${c.caseId}（${stage}${dueNote(l, c)}）${holders}。`
    : `${c.caseId} (${stage}${dueNote(l, c)}) ${holders}.`;
}

/** The buildings by name: all of a few, else the first three and how many more. */
function places(l: MailHalf, names: Bilingual[]): string {
  const shown = names.slice(0, 3).map((n) => n[l]);
  const more = names.length - shown.length;
  if (l === 'zh') return more > 0 ? `${shown.join('、')}等 ${names.length} 处` : shown.join('、');
  if (more > 0) return `${shown.join(', ')} and ${more} more`;
  return shown.length > 1 ? `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}` : (shown[0] ?? '');
}

/**
 * What the stranding means for the cases, one sentence per kind there is: waiting on the holder
 * (nobody is reminded, so they wait to escalate), already overdue (escalating, still nobody to
 * act), or at a stage someone else acts in (the holder is needed later). Counted over the listed
 * cases; "these cases" only when the list is all of them (`total`), since the unlisted are unread.
 */
function consequences(l: MailHalf, cases: StrandedCase[], total: number): string {
  const waiting = cases.filter((c) => c.waitsOnHolder && !c.overdue).length;
  const overdue = cases.filter((c) => c.waitsOnHolder && c.overdue).length;
  const elsewhere = cases.filter((c) => !c.waitsOnHolder).length;
  const all = (k: number) => k === total;
  // Who the sentence is about: the one case of the mail, all of its cases, or some of them.
  const zhWho = (k: number) => (!all(k) ? `其中 ${k} 件` : k === 1 ? '该案件' : '这些案件');
  const zh = [
    waiting > 0 && `${zhWho(waiting)}正等原经办人处理：提醒无人接收，将一直等到超时升级。`,
    overdue > 0 && `${zhWho(overdue)}已超时并在升级，但改派之前仍无人能处理。`,
    elsewhere > 0 && `${zhWho(elsewhere)}当前环节由他人处理，但之后的环节仍需经办人，请一并改派。`,
  ];
  // English agrees with how many: "It waits" (the mail's one case), "1 of them waits", "2 of them wait".
  const it = (k: number, some: string) => (all(k) ? 'It' : some);
  const they = (k: number, some: string) => (all(k) ? 'They' : some);
  const en = [
    waiting > 0 &&
      (waiting === 1
        ? `${it(waiting, '1 of them')} waits on its holder at its current stage: nobody receives its reminders, so it waits until it is overdue and escalates.`
        : `${they(waiting, `${enNumber(waiting)} of them`)} wait on their holders at their current stage: nobody receives the reminders, so they wait until they are overdue and escalate.`),
    overdue > 0 &&
      (overdue === 1
        ? `${it(overdue, '1')} is already overdue and escalating, but nobody can act on it until it is reassigned.`
        : `${they(overdue, enNumber(overdue))} are already overdue and escalating, but nobody can act on them until they are reassigned.`),
    elsewhere > 0 &&
      (elsewhere === 1
        ? `${it(elsewhere, '1')} is at a stage someone else acts in, but a later step needs its holder: reassign it too.`
        : `${they(elsewhere, enNumber(elsewhere))} are at a stage someone else acts in, but a later step needs their holders: reassign them too.`),
  ];
  return (l === 'zh' ? zh : en).filter((x): x is string => typeof x === 'string').join(gap[l]);
}

// Said of the place by name: a place may be a public area (a laundry, a canteen), not a building.
const workingGroupNote = (l: MailHalf, name: Bilingual): string =>
  l === 'zh'
    ? `${name.zh}没有主管，因此通知工作小组。`
    : `${name.en} has no supervisor, so the working group is told.`;

/** The mail to one reader, their language first. */
export function strandedCasesMail(
  lang: Language,
  given: StrandedCasesMail,
): { subject: string; text: string; html: string } {
  // The names people typed into the directory (the reader's, the holders', the buildings') link
  // nowhere, in the subject either; the reassign links are the mail's own.
  const m: StrandedCasesMail = {
    ...given,
    recipientName: noAutolink(given.recipientName),
    buildings: given.buildings.map((b) => ({
      ...b,
      name: noAutolinkPair(b.name),
      cases: b.cases.map((c) => ({
        ...c,
        holders: c.holders.map((h) => ({ ...h, name: noAutolink(h.name) })),
      })),
    })),
  };
  const cases = m.buildings.flatMap((b) => b.cases);
  const n = cases.length + m.buildings.reduce((k, b) => k + b.more, 0);
  const names = m.buildings.map((b) => b.name);
  const single = m.buildings.length === 1 ? m.buildings[0] : undefined;
  const saved: Record<MailHalf, string> = m.savedText
    ? { zh: `已于 ${m.savedText} 保存`, en: `was saved on ${m.savedText}` }
    : { zh: '已保存', en: 'was saved' };
  // One building is named in the opening, so its working-group note goes there; several get a heading each.
  const intro: Record<MailHalf, string> = {
    zh: `名录第 ${m.version} 版${saved.zh}：${places('zh', names)}有 ${n} 件未结案件的经办人已被移出名录或已无处理案件的角色。${consequences('zh', cases, n)}${
      single?.asWorkingGroup ? workingGroupNote('zh', single.name) : ''
    }请尽快改派：`,
    en: `Directory version ${m.version} ${saved.en}: ${enCount(n, 'open case')} at ${places('en', names)} ${n === 1 ? 'is' : 'are'} held by someone it removed or left without a role that acts on cases. ${consequences('en', cases, n)}${
      single?.asWorkingGroup ? ` ${workingGroupNote('en', single.name)}` : ''
    } Reassign ${n === 1 ? 'it' : 'them'} soon:`,
  };
  const heading = (l: MailHalf, b: StrandedBuilding): string =>
    single
      ? ''
      : l === 'zh'
        ? `${b.name.zh}（${b.cases.length + b.more} 件${b.asWorkingGroup ? '；此处没有主管，因此通知工作小组' : ''}）：`
        : `${b.name.en} (${enNumber(b.cases.length + b.more)}${b.asWorkingGroup ? '; no supervisor here, so the working group is told' : ''}):`;
  const rest = (l: MailHalf, b: StrandedBuilding): string =>
    b.more === 0
      ? ''
      : l === 'zh'
        ? `另有 ${b.more} 件未列出；管理员的名录导入页列出全部。`
        : `${enNumber(b.more)} more are not listed here; an admin's directory import page lists them all.`;
  const text = (l: MailHalf) => [
    intro[l],
    ...m.buildings.flatMap((b) => [
      ...(single ? [] : [heading(l, b)]),
      ...b.cases.map(
        (c) => `${strandedCaseLine(l, c)}${gap[l]}${reassign[l]}${l === 'zh' ? '：' : ': '}${c.reassignUrl}`,
      ),
      rest(l, b),
    ]),
  ];
  // Each case line ends in its own link: a button per case would bury the list.
  const html = (l: MailHalf): MailPara[] => [
    intro[l],
    ...m.buildings.flatMap((b): MailPara[] => [
      single ? '' : { strong: heading(l, b) },
      ...b.cases.map((c) => ({
        line: `${strandedCaseLine(l, c)}${gap[l]}`,
        link: { href: c.reassignUrl, label: reassign[l] },
      })),
      rest(l, b),
    ]),
  ];
  const [first, second] = mailHalves(lang);
  const greeting = mailGreeting(lang, m.recipientName);
  return {
    subject: mailSubject(lang, {
      zh: `【请改派】${places('zh', names)}：${n} 件案件的经办人已离开名录或失去角色`,
      en: `[Reassign] ${places('en', names)}: ${enCount(n, 'case')} whose holder left the directory or lost their role`,
    }),
    text: mailText(greeting, text(first), text(second)),
    html: mailHtml({ first, greeting, lead: html(first), links: [], other: html(second) }),
  };
}
