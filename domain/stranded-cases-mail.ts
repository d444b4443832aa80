import { leftName } from './departed-name.ts';
import type { Language } from './directory.ts';
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
import type { Bilingual } from './text.ts';

/**
 * The mail that tells a building's supervisors (or the working group, where the building has
 * none) that a directory save left open cases there with someone who can no longer act on them:
 * removed from the directory, or kept without a role that acts on cases. One mail per save,
 * building and reader, each case with its number, stage, due and holder, and where to reassign
 * it. Laid out as the case mails are: the reader's language first, greeted once in it.
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
  holders: StrandedHolder[];
  /** The case page's reassign form (behind sign-in). */
  reassignUrl: string;
}

export interface StrandedCasesMail {
  recipientName: string;
  building: Bilingual;
  /** The directory version whose save stranded them. */
  version: number;
  /** Working-group members hear it because the building has no supervisor of its own. */
  asWorkingGroup: boolean;
  cases: StrandedCase[];
  /** Cases left out of the list to keep the mail readable (the admin page lists them all). */
  more: number;
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

/** One case as a line of the mail, in one language, without its link. */
export function strandedCaseLine(l: MailHalf, c: StrandedCase): string {
  const stage = stageStatusLabels[c.stage][l];
  const holders = c.holders
    .map((h) => `${holderRole[h.as][l]}${l === 'zh' ? '：' : ': '}${holderState[h.state][l](h.name)}`)
    .join(l === 'zh' ? '；' : '; ');
  return l === 'zh'
    ? `${c.caseId}（${stage}${c.dueText ? `，时限 ${c.dueText}` : ''}）${holders}。`
    : `${c.caseId} (${stage}${c.dueText ? `, due ${c.dueText}` : ''}) ${holders}.`;
}

const reassign: Record<MailHalf, string> = { zh: '改派', en: 'Reassign' };
// Chinese runs on after its full stop; English leaves a space.
const gap: Record<MailHalf, string> = { zh: '', en: ' ' };

/** The mail to one reader, their language first. */
export function strandedCasesMail(
  lang: Language,
  m: StrandedCasesMail,
): { subject: string; text: string; html: string } {
  const n = m.cases.length + m.more;
  const intro: Record<MailHalf, string> = {
    zh: `名录第 ${m.version} 版已保存：${m.building.zh}有 ${n} 件未结案件的经办人已被移出名录或已无处理案件的角色，这些案件的提醒无人接收，将一直等到升级。${
      m.asWorkingGroup ? '该楼栋没有主管，因此通知工作小组。' : ''
    }请尽快改派：`,
    en: `Directory version ${m.version} was saved: ${n} open case(s) at ${m.building.en} are held by someone it removed or left without a role that acts on cases. Nobody receives their reminders, so they wait until they escalate.${
      m.asWorkingGroup ? ' The building has no supervisor, so the working group is told.' : ''
    } Reassign them soon:`,
  };
  const rest: Record<MailHalf, string> = {
    zh: m.more > 0 ? `另有 ${m.more} 件未列出，请在名录导入页查看。` : '',
    en: m.more > 0 ? `${m.more} more are not listed here; see the directory import page.` : '',
  };
  const text = (l: MailHalf) => [
    intro[l],
    ...m.cases.map(
      (c) => `${strandedCaseLine(l, c)}${gap[l]}${reassign[l]}${l === 'zh' ? '：' : ': '}${c.reassignUrl}`,
    ),
    rest[l],
  ];
  // Each case line ends in its own link: a button per case would bury the list.
  const html = (l: MailHalf): MailPara[] => [
    intro[l],
    ...m.cases.map((c) => ({
      line: `${strandedCaseLine(l, c)}${gap[l]}`,
      link: { href: c.reassignUrl, label: reassign[l] },
    })),
    rest[l],
  ];
  const [first, second] = mailHalves(lang);
  const greeting = mailGreeting(lang, m.recipientName);
  return {
    subject: mailSubject(lang, {
      zh: `【请改派】${m.building.zh}：${n} 件案件的经办人已离开名录或失去角色`,
      en: `[Reassign] ${m.building.en}: ${n} case(s) held by someone removed or without their role`,
    }),
    text: mailText(greeting, text(first), text(second)),
    html: mailHtml({ first, greeting, lead: html(first), links: [], other: html(second) }),
  };
}
