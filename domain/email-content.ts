import { upFirst, type Bilingual } from './text.ts';
import { caseTitleIn } from './case-title.ts';
import { notesWithoutEvidence } from './evidence-ref.ts';
import { detailIn } from './mail-detail.ts';
import {
  mailGreeting,
  mailHalves,
  mailHtml,
  mailText,
  type MailHalf,
  type MailLink,
} from './mail-document.ts';

/** Drawn as the case mails draw it: other mails (a reporter's notice) link the same way. */
export { linkButton } from './mail-document.ts';
import type { Language } from './directory.ts';
import type { Stage } from './case-model.ts';
import { recordsArrival } from './case-handling.ts';
import type { Source } from './sla.ts';
import { stageLabels, stageStatusLabels } from './stage-labels.ts';
import { leftName } from './departed-name.ts';
import { endSentence } from './sentence-end.ts';
import { noAutolink, noAutolinkOpt, noAutolinkPair } from './no-autolink.ts';
import { clockLine, type CaseClockNote } from './case-clock-lines.ts';

/** The admins' page of automatic steps that failed for good, to retry or dismiss (behind sign-in). */
export const STUCK_EFFECTS_PAGE = '/app/admin/stuck';

/** The case page, where the steps that are not signed through a link are taken (behind sign-in). */
export const casePagePath = (caseId: string): string => `/app/cases/${encodeURIComponent(caseId)}`;

/** Every email the case workflow sends. */
export const emailKinds = [
  'assigned',
  'signoff_request',
  'adjudication_request',
  'adjudicated',
  'review_request',
  'review_failed',
  'review_escalation',
  'result_and_survey',
  'reopened',
  'reminder',
  'escalation',
  'leadership_notice',
  'effect_stuck',
  'pause_request',
  'pause_approved',
  'pause_rejected',
  'pause_ended',
  'taken_off',
  'reopened_assignee',
  'handed_over',
  'signed_off_assignee',
] as const;
export type EmailKind = (typeof emailKinds)[number];

export interface EmailContext {
  kind: EmailKind;
  caseId: string;
  title: string;
  stage: string;
  round: number;
  recipientName: string;
  /** Deadline already formatted in the campus time zone. */
  dueText?: string | undefined;
  detail?: string | undefined;
  actionUrl?: string | undefined;
  /** The case page (`casePagePath` on the public origin): linked by the kinds whose next work is done there. */
  caseUrl?: string | undefined;
  /** The reporter's tracking page (`/t/…`), for mail to a reporter who reported by scanned code. */
  trackUrl?: string | undefined;
  /** The case's place as people name it: a reporter is told which of their reports this is about. */
  place?: Bilingual | undefined;
  /**
   * Whom the case is assigned to now: the escalation mail says whom to chase, the taken-off mail
   * to whom it went; the hand-over notice, to whom it was handed.
   */
  assigneeName?: string | undefined;
  /** How a case taken over came to its new holder: their mail says who moved it and from whom. */
  move?: CaseMoveNames | undefined;
  /** Whose act the mail reports by name: who disputed the plan, who asked for the pause. */
  actorName?: string | undefined;
  /** When the case was opened, already formatted in the campus time zone: the leadership notice's reader judges the 48 hours by it. */
  openedText?: string | undefined;
  /** The plan to sign was revised after a dispute was adjudicated 'revise': the second request is not the first again. */
  planRevised?: boolean | undefined;
  /** A pause holding the case (or asked for) as it was taken over: its new holder hears why and until when. */
  pause?: CasePauseNote | undefined;
  /** The deadline of the stage a pause decision is about, as the case record has it: the decision restates it. */
  stageDue?: StageDueNote | undefined;
  /** Where the case came from, as its record has it: a complaint's mail offers no arrival on site. */
  source?: Source | undefined;
  /**
   * The case's clocks not met yet (the promises made to the reporter), as its record has them:
   * the staff mails in `clockLineKinds` state each on a line of its own.
   */
  clocks?: CaseClockNote[] | undefined;
}

/**
 * The staff mails that restate the case's clocks: those asking someone to move the case on, or to
 * chase it. Not the reporter's, nor a notice about a pause or a move (its reader is asked nothing).
 */
export const clockLineKinds: ReadonlySet<EmailKind> = new Set([
  'assigned',
  'signoff_request',
  'review_request',
  'review_failed',
  'reminder',
  'escalation',
  'signed_off_assignee',
  'adjudicated',
]);

/** A stage's deadline as a pause decision's mail states it. */
export interface StageDueNote {
  stage: Stage;
  /** Already formatted in the campus time zone. */
  dueText: string;
  /** Already missed when the mail was written. */
  passed: boolean;
  /** Held by the approved pause: the due stated is the one before it, moved on when it ends. */
  held: boolean;
}

/** A case's open pause as a take-over mail tells it. */
export interface CasePauseNote {
  state: 'requested' | 'approved';
  reason: Bilingual;
  /** The technician's own words, as written. */
  note?: string | undefined;
  /** When an approved pause ends by itself, already formatted in the campus time zone. */
  endsByText?: string | undefined;
  /** The pause moves the stage's deadline on when it ends (pauses approved before that held the clocks alone). */
  movesDue: boolean;
}

/** The pause, after the deadline it is about to move: the deadline stated is the one before the pause. */
const pauseLine = {
  zh: (p: CasePauseNote, due: boolean) => {
    const why = `${p.reason.zh}${p.note ? `：${p.note}` : ''}`;
    if (p.state === 'requested')
      return `本案有一项暂停申请（${why}）正等待主管审批${due ? '；批准后，上述时限将按暂停时长顺延' : ''}。`;
    return `本案目前暂停计时（${why}）${p.endsByText ? `，最迟 ${p.endsByText} 自动恢复` : ''}。${
      due && p.movesDue ? '上述时限是暂停前的时限，暂停结束时将按暂停时长顺延。' : ''
    }`;
  },
  en: (p: CasePauseNote, due: boolean) => {
    const why = `${p.reason.en}${p.note ? `: ${p.note}` : ''}`;
    if (p.state === 'requested')
      return `A pause of the case (${why}) waits for a supervisor’s decision${due ? '; if it is approved, the deadline above moves on by the pause’s length' : ''}.`;
    return `The case is paused (${why})${p.endsByText ? ` until ${p.endsByText} at the latest` : ''}.${
      due && p.movesDue
        ? ' The deadline above is the one before the pause: it moves on by the pause’s length when the pause ends.'
        : ''
    }`;
  },
};

/** A reassignment (by `byName`) or hand-over (by its holder `fromName`), by people's names. */
export interface CaseMoveNames {
  how: 'reassigned' | 'handed_over';
  byName: string;
  fromName: string;
  /** The mover or the holder before has left the directory: named as its last version had them, marked so. */
  byLeft?: boolean | undefined;
  fromLeft?: boolean | undefined;
}

/** The move's names in one language, someone who left the directory marked as gone. */
const moveNamesIn = (l: MailHalf, m: CaseMoveNames) => ({
  by: m.byLeft ? leftName[l](m.byName) : m.byName,
  from: m.fromLeft ? leftName[l](m.fromName) : m.fromName,
});

/** Who moved the case to the reader and from whom, as a sentence opening the take-over mail. */
const movedLine = {
  zh: (m: CaseMoveNames, title: string) => {
    const { by, from } = moveNamesIn('zh', m);
    return m.how === 'handed_over'
      ? `${from}已将案件「${title}」移交给您处理。`
      : `${by}已将案件「${title}」从${from}改派给您处理。`;
  },
  en: (m: CaseMoveNames, title: string) => {
    const { by, from } = moveNamesIn('en', m);
    return m.how === 'handed_over'
      ? `${from} has handed the case "${title}" over to you.`
      : `${by} has reassigned the case "${title}" from ${from} to you.`;
  },
};

/** Kinds mailed to the person who reported the problem rather than to staff. */
const reporterKinds: ReadonlySet<EmailKind> = new Set(['result_and_survey']);

interface Lines {
  subject: string;
  intro: string;
  action?: string;
  /** The case page link's text, for a mail that asks its reader to do something there. */
  casePage?: string;
}

const isStage = (s: string): s is Stage => Object.hasOwn(stageStatusLabels, s);
/** The case's stage as the mail's context names it (the assignment's first step when unknown). */
const stageOf = (c: EmailContext): Stage => (isStage(c.stage) ? c.stage : 'analysing');
/** Whether the case's analysis is still ahead (a new case's mail is sent as it opens). */
const analysisAhead = (c: EmailContext): boolean => ['detected', 'analysing'].includes(stageOf(c));
/** The stage whose deadline a reminder or an escalation is about, as a noun ("整改" / "rectification"). */
const overdueStage = (c: EmailContext) =>
  isStage(c.stage) ? stageLabels[c.stage] : { zh: c.stage, en: c.stage };
/** The stage as people read it, not its code. */
const stageName = (c: EmailContext) =>
  isStage(c.stage) ? stageStatusLabels[c.stage] : { zh: c.stage, en: c.stage };

/**
 * What the assignee does first, by where the case is when they are given it: a case handed over
 * after its analysis is not to be analysed again.
 */
const assignedNext: Record<Stage, { zh: string; en: string }> = {
  detected: { zh: '请先完成原因分析。', en: 'Please start with the root-cause analysis.' },
  analysing: { zh: '请先完成原因分析。', en: 'Please start with the root-cause analysis.' },
  awaiting_signoff: {
    zh: '原因分析已完成，正等待责任人签字确认整改方案；确认后请按方案整改。',
    en: 'Its analysis is done and waits for the responsible person to sign off the plan; once signed, carry out the rectification.',
  },
  adjudicating: {
    zh: '责任人对整改方案提出了异议，正等待主管裁定；裁定后请按结果处理。',
    en: 'The responsible person disputed the plan and a supervisor is adjudicating; act on the decision once it is made.',
  },
  rectifying: {
    zh: '请按已确认的整改方案完成整改，并在案件页面上报整改结果（附照片）。',
    en: 'Carry out the agreed rectification plan and report it, with photos, on the case page.',
  },
  reviewing: {
    zh: '整改已上报，正等待主管复查；复查不合格时请再次整改。',
    en: 'The rectification was reported and waits for a supervisor’s review; if it fails, rectify again.',
  },
  follow_up: {
    zh: '整改已复查合格，正等待报告人回访评价。',
    en: 'The rectification passed its review and waits for the reporter’s rating.',
  },
  closed: { zh: '案件已结案。', en: 'The case is closed.' },
  withdrawn: { zh: '案件已撤销。', en: 'The case was withdrawn.' },
};

/** Whether the case may be told to record an arrival on site (unknown source: as before, yes). */
const arrivalOffered = (c: EmailContext): boolean => c.source === undefined || recordsArrival(c.source);

/** A place run into the Chinese after it: a space after a room number or a Latin name ("A101 反映"), none after a Chinese one. */
const spaced = (place: string): string => (/[A-Za-z0-9]$/.test(place) ? `${place} ` : place);

const zh: Record<EmailKind, (c: EmailContext) => Lines> = {
  pause_approved: (c) => ({
    subject: `【暂停已批准】${c.caseId}：${c.title}`,
    intro: `您对案件「${c.title}」的暂停申请已批准，案件计时暂停${c.dueText ? `，最长至 ${c.dueText}` : ''}。${c.detail ? `审批意见：${endSentence(c.detail, '。')}` : ''}恢复工作后请在案件页面结束暂停；到最长时间仍未结束的，将自动恢复计时。`,
    casePage: '打开案件页面',
  }),
  pause_rejected: (c) => ({
    subject: `【暂停未批准】${c.caseId}：${c.title}`,
    // The schema asks a rejection for its reason; a decision from before that may have none.
    intro: `您对案件「${c.title}」的暂停申请未获批准，案件时限照常计算。${c.detail ? `驳回理由：${endSentence(c.detail, '。')}` : ''}${c.stageDue?.passed ? '当前环节已超时，请尽快完成。' : '请按期完成当前环节。'}`,
    casePage: '打开案件页面',
  }),
  pause_ended: (c) => ({
    subject: `【暂停已结束】${c.caseId}：${c.title}`,
    intro: `案件「${c.title}」的暂停已结束${c.detail === 'expired' ? '（已到最长暂停时间）' : '（由主管结束）'}，计时恢复，各项期限已按暂停时长顺延。`,
    casePage: '打开案件页面',
  }),
  pause_request: (c) => ({
    subject: `【暂停申请】${c.caseId}：${c.title}`,
    intro: `案件「${c.title}」的被指派人${c.actorName ?? ''}申请暂停计时（批准后案件时限和当前环节时限一并暂停，结束后按暂停时长顺延）：${endSentence(c.detail ?? '', '。')}请在案件页面批准或驳回。`,
    casePage: '打开案件页面批准或驳回',
  }),
  assigned: (c) => ({
    // A case taken over (it carries the reason) is not a new case to its new holder.
    subject: c.detail
      ? `【整改】案件转交给您 ${c.caseId}：${c.title}`
      : `【整改】新案件 ${c.caseId}：${c.title}`,
    intro: `${c.move ? movedLine.zh(c.move, c.title) : `您被指派处理整改案件「${c.title}」，`}${assignedNext[stageOf(c)].zh}${c.detail ? `转交原因：${endSentence(c.detail, '。')}` : ''}`,
    // Only a repair's assignment carries a link: the arrival on site that its clock waits for
    // (a complaint's is taken off: `withoutArrival`).
    action: '到场后点此登记到场',
    casePage: analysisAhead(c) ? '打开案件页面进行原因分析和整改' : '打开案件页面',
  }),
  signoff_request: (c) => ({
    subject: c.planRevised
      ? `【待签字】修改后的整改方案 ${c.caseId}：${c.title}`
      : `【待签字】整改确认 ${c.caseId}：${c.title}`,
    // A take-over's request (its detail is the reason) says who moved the case and why.
    intro: `${c.move ? movedLine.zh(c.move, c.title) : ''}${
      c.planRevised
        ? `${c.move ? '该案件' : `案件「${c.title}」`}的异议已裁定退回重新分析，整改方案已据此修改。请确认修改后的问题认定与整改方案，或说明理由再次提出异议。`
        : `请确认${c.move ? '该案件' : `案件「${c.title}」`}的问题认定与整改方案，或说明理由提出异议。`
    }${c.detail ? `转交原因：${endSentence(c.detail, '。')}` : ''}`,
    action: '打开签字确认页面',
    // Taken over mid-case: the rest of the case (an arrival still to record, its history) is on its page.
    ...(c.move
      ? { casePage: arrivalOffered(c) ? '打开案件页面（到场登记、查看经过）' : '打开案件页面（查看经过）' }
      : {}),
  }),
  adjudication_request: (c) => ({
    subject: `【待裁定】员工提出异议 ${c.caseId}：${c.title}`,
    intro: `责任人${c.actorName ?? ''}对案件「${c.title}」提出异议${c.detail ? `：${endSentence(c.detail, '。')}` : '。'}请裁定。`,
    action: '打开裁定页面',
  }),
  adjudicated: (c) => ({
    subject: `【裁定结果】${c.caseId}：${c.title}`,
    intro: `案件「${c.title}」的异议已裁定：${stageOf(c) === 'analysing' ? '退回重新分析，请重新进行原因分析并提交整改方案' : '按原方案整改，请按已确认的方案完成整改'}。${c.detail ? `裁定意见：${endSentence(c.detail, '。')}` : ''}`,
    casePage: '打开案件页面',
  }),
  review_request: (c) => ({
    subject: `【待复查】整改已完成 ${c.caseId}：${c.title}`,
    intro: `案件「${c.title}」第 ${c.round} 轮整改已上报，请复查。`,
    casePage: '打开案件页面复查',
  }),
  review_failed: (c) => ({
    subject: `【复查未通过】${c.caseId}：${c.title}`,
    intro: `案件「${c.title}」复查未通过${c.detail ? `：${endSentence(c.detail, '。')}` : '。'}请继续整改（第 ${c.round} 轮），完成后在案件页面报告整改。`,
    casePage: '打开案件页面报告整改',
  }),
  review_escalation: (c) => ({
    subject: `【升级】多次复查未通过 ${c.caseId}：${c.title}`,
    intro: `案件「${c.title}」已多次复查未通过，提交网格化管理工作小组协调。`,
    casePage: '打开案件页面',
  }),
  result_and_survey: (c) => ({
    subject: `【处理结果】请您评价 ${c.caseId}：${c.title}`,
    intro: `您${c.place ? `在${spaced(c.place.zh)}` : ''}反映的问题「${c.title}」已整改完毕并通过复查。请对处理结果进行评价（1-5 分）。`,
    action: '打开评价页面',
  }),
  reopened: (c) => ({
    subject: `【重新复查】评价不满意 ${c.caseId}：${c.title}`,
    intro: `报告人对案件「${c.title}」的处理结果不满意${c.detail ? `：${endSentence(c.detail, '。')}` : '。'}案件已重新进入复查。`,
    casePage: '打开案件页面复查',
  }),
  reopened_assignee: (c) => ({
    subject: `【重新复查】评价不满意 ${c.caseId}：${c.title}`,
    intro: `报告人对您处理的案件「${c.title}」的结果不满意${c.detail ? `：${endSentence(c.detail, '。')}` : '。'}案件已重新进入复查；主管复查不合格时，将退回您继续整改。`,
    casePage: '打开案件页面',
  }),
  signed_off_assignee: (c) => ({
    subject: `【已签字确认】请开始整改 ${c.caseId}：${c.title}`,
    intro: `责任人${c.actorName ?? ''}已签字确认案件「${c.title}」的问题认定与整改方案。请按方案完成整改，并在案件页面上报整改结果（附照片）。`,
    casePage: '打开案件页面报告整改',
  }),
  reminder: (c) => ({
    subject: `【提醒】${overdueStage(c).zh}即将到期 ${c.caseId}：${c.title}`,
    intro: `案件「${c.title}」的${overdueStage(c).zh}环节${c.dueText ? `将于 ${c.dueText} 到期` : '即将到期'}，请尽快处理。`,
    action: '立即处理',
    // A step signed through the link is done there; any other on the case page.
    ...(c.actionUrl ? {} : { casePage: '打开案件页面处理' }),
  }),
  escalation: (c) => ({
    subject: `【超时升级】${overdueStage(c).zh}环节超时 ${c.caseId}：${c.title}`,
    intro: `案件「${c.title}」的${overdueStage(c).zh}环节已超过时限（${c.dueText ? `截止 ${c.dueText}` : '时限已过'}），按网格逐级上报至您，请督促处理。${c.assigneeName ? `当前经办人：${c.assigneeName}。` : ''}`,
    casePage: '打开案件页面查看进展和经办人',
  }),
  leadership_notice: (c) => ({
    subject: `【重大问题】${c.caseId}：${c.title}`,
    intro: `重大问题报告：「${c.title}」${c.place ? `，地点：${c.place.zh}` : ''}${c.openedText ? `，开案时间：${c.openedText}` : ''}，当前环节：${stageName(c).zh}${c.assigneeName ? `，经办人：${c.assigneeName}` : ''}。按规定，重大问题须在 48 小时内报告校领导，特此报告。`,
    casePage: '打开案件页面查看详情',
  }),
  taken_off: (c) => ({
    subject: `【案件已转交】${c.caseId}：${c.title}`,
    // No case link: the case is no longer theirs to open, and its page would refuse them.
    intro: `案件「${c.title}」已由主管转交${c.assigneeName ? `给${c.assigneeName}` : '他人'}处理，您无需再处理此案件，此前发给您的该案件链接已失效。${c.detail ? `转交原因：${endSentence(c.detail, '。')}` : ''}`,
  }),
  handed_over: (c) => ({
    subject: `【案件移交】${c.caseId}：${c.title}`,
    intro: `${c.move ? moveNamesIn('zh', c.move).from : '经办人'}已将案件「${c.title}」移交给${c.assigneeName ?? '同事'}处理。${c.detail ? `移交原因：${endSentence(c.detail, '。')}` : ''}`,
    casePage: '打开案件页面查看',
  }),
  effect_stuck: (c) => ({
    subject: `【待处理】自动操作失败 ${c.caseId}：${c.title}`,
    intro: `案件「${c.title}」的一项自动操作无法完成（${c.detail ?? ''}）。案件继续推进；请管理员重试或忽略。`,
    casePage: '打开「待处理的自动操作」页面重试或忽略',
  }),
};

const en: Record<EmailKind, (c: EmailContext) => Lines> = {
  pause_approved: (c) => ({
    subject: `[Pause approved] ${c.caseId}: ${c.title}`,
    intro: `Your request to pause the clocks of "${c.title}" was approved: they are held${c.dueText ? ` until ${c.dueText} at the latest` : ''}.${c.detail ? ` Notes: ${endSentence(c.detail, '.')}` : ''} End the pause on the case page when work resumes; at its maximum it ends by itself.`,
    casePage: 'Open the case page',
  }),
  pause_rejected: (c) => ({
    subject: `[Pause rejected] ${c.caseId}: ${c.title}`,
    intro: `Your request to pause the clocks of "${c.title}" was rejected: they keep running.${c.detail ? ` Reason: ${endSentence(c.detail, '.')}` : ''} ${c.stageDue?.passed ? 'The current stage is overdue: please finish it as soon as possible.' : 'Please finish the current stage on time.'}`,
    casePage: 'Open the case page',
  }),
  pause_ended: (c) => ({
    subject: `[Pause ended] ${c.caseId}: ${c.title}`,
    intro: `The pause of "${c.title}" has ended${c.detail === 'expired' ? ' (it reached its maximum length)' : ' (ended by a supervisor)'}: the clocks run again, each deadline moved on by the pause.`,
    casePage: 'Open the case page',
  }),
  pause_request: (c) => ({
    subject: `[Pause requested] ${c.caseId}: ${c.title}`,
    intro: `${c.actorName ? `${c.actorName}, the assignee of "${c.title}", asks` : `The assignee of "${c.title}" asks`} to pause its clocks (once approved, the case clocks and the current stage's deadline are held, then move on by the pause): ${endSentence(c.detail ?? '', '.')} Approve or reject it on the case page.`,
    casePage: 'Open the case page to approve or reject it',
  }),
  assigned: (c) => ({
    subject: c.detail
      ? `[Rectify] Case handed to you ${c.caseId}: ${c.title}`
      : `[Rectify] New case ${c.caseId}: ${c.title}`,
    intro: `${c.move ? movedLine.en(c.move, c.title) : `You have been assigned the case "${c.title}".`} ${assignedNext[stageOf(c)].en}${c.detail ? ` Reason given: ${endSentence(c.detail, '.')}` : ''}`,
    action: 'Once on site, record your arrival here',
    casePage: analysisAhead(c)
      ? 'Open the case page for the analysis and the rectification'
      : 'Open the case page',
  }),
  signoff_request: (c) => ({
    subject: c.planRevised
      ? `[Sign-off needed] Revised rectification plan ${c.caseId}: ${c.title}`
      : `[Sign-off needed] Rectification plan ${c.caseId}: ${c.title}`,
    intro: `${c.move ? `${movedLine.en(c.move, c.title)} ` : ''}${
      c.planRevised
        ? `The dispute on ${c.move ? 'it' : `"${c.title}"`} sent it back to analysis, and its plan has been revised since. Please confirm the revised finding and rectification plan, or dispute it again with a reason.`
        : c.move
          ? 'Please confirm its finding and rectification plan, or dispute it with a reason.'
          : `Please confirm the finding and rectification plan of "${c.title}", or dispute it with a reason.`
    }${c.detail ? ` Reason given: ${endSentence(c.detail, '.')}` : ''}`,
    action: 'Open the sign-off page',
    ...(c.move
      ? {
          casePage: arrivalOffered(c)
            ? 'Open the case page (record the arrival, see what happened so far)'
            : 'Open the case page (see what happened so far)',
        }
      : {}),
  }),
  adjudication_request: (c) => ({
    subject: `[Adjudication needed] Plan disputed ${c.caseId}: ${c.title}`,
    intro: `${c.actorName ? `${c.actorName}, the responsible staff member,` : 'The responsible staff member'} disputed "${c.title}"${c.detail ? `: ${endSentence(c.detail, '.')}` : '.'} Please adjudicate.`,
    action: 'Open the adjudication page',
  }),
  adjudicated: (c) => ({
    subject: `[Adjudicated] ${c.caseId}: ${c.title}`,
    intro: `The dispute on "${c.title}" was adjudicated: ${stageOf(c) === 'analysing' ? 'back to analysis; analyse the root cause again and submit a new plan' : 'proceed with the plan; carry out the agreed rectification'}.${c.detail ? ` Notes: ${endSentence(c.detail, '.')}` : ''}`,
    casePage: 'Open the case page',
  }),
  review_request: (c) => ({
    subject: `[Review needed] Rectification reported ${c.caseId}: ${c.title}`,
    intro: `Round ${c.round} of the rectification of "${c.title}" was reported. Please re-inspect.`,
    casePage: 'Open the case page to review it',
  }),
  review_failed: (c) => ({
    subject: `[Review failed] ${c.caseId}: ${c.title}`,
    intro: `The review of "${c.title}" failed${c.detail ? `: ${endSentence(c.detail, '.')}` : '.'} Please rectify again (round ${c.round}), then report it on the case page.`,
    casePage: 'Open the case page to report the rectification',
  }),
  review_escalation: (c) => ({
    subject: `[Escalated] Failed review repeatedly ${c.caseId}: ${c.title}`,
    intro: `"${c.title}" has failed review repeatedly and goes to the grid working group.`,
    casePage: 'Open the case page',
  }),
  result_and_survey: (c) => ({
    subject: `[Result] Please rate it ${c.caseId}: ${c.title}`,
    intro: `The problem you reported${c.place ? ` at ${c.place.en}` : ''}, "${c.title}", has been rectified and re-inspected. Please rate the result (1-5).`,
    action: 'Open the rating page',
  }),
  reopened: (c) => ({
    subject: `[Reopened] Rating not satisfied ${c.caseId}: ${c.title}`,
    intro: `The reporter was not satisfied with "${c.title}"${c.detail ? `: ${endSentence(c.detail, '.')}` : '.'} The case is back in review.`,
    casePage: 'Open the case page to review it',
  }),
  reopened_assignee: (c) => ({
    subject: `[Reopened] Rating not satisfied ${c.caseId}: ${c.title}`,
    intro: `The reporter was not satisfied with "${c.title}", which you handled${c.detail ? `: ${endSentence(c.detail, '.')}` : '.'} The case is back in review; if the review fails, it comes back to you to rectify again.`,
    casePage: 'Open the case page',
  }),
  signed_off_assignee: (c) => ({
    subject: `[Signed off] Please rectify ${c.caseId}: ${c.title}`,
    intro: `${c.actorName ? `${c.actorName}, the responsible staff member,` : 'The responsible staff member'} has signed off the finding and rectification plan of "${c.title}". Please carry out the plan and report it, with photos, on the case page.`,
    casePage: 'Open the case page to report the rectification',
  }),
  reminder: (c) => ({
    subject: `[Reminder] ${upFirst(overdueStage(c).en)} due soon ${c.caseId}: ${c.title}`,
    intro: `The ${overdueStage(c).en} stage of "${c.title}" is due ${c.dueText ? c.dueText : 'soon'}. Please act soon.`,
    action: 'Act now',
    ...(c.actionUrl ? {} : { casePage: 'Open the case page to act on it' }),
  }),
  escalation: (c) => ({
    subject: `[Overdue] ${upFirst(overdueStage(c).en)} stage past its deadline ${c.caseId}: ${c.title}`,
    intro: `The ${overdueStage(c).en} stage of "${c.title}" passed its deadline${c.dueText ? ` (due ${c.dueText})` : ''} and is escalated to you up the grid. Please see that it is dealt with.${c.assigneeName ? ` It is assigned to ${c.assigneeName}.` : ''}`,
    casePage: 'Open the case page for where it stands and who has it',
  }),
  leadership_notice: (c) => ({
    subject: `[Major problem] ${c.caseId}: ${c.title}`,
    intro: `Major problem: "${c.title}"${c.place ? ` at ${c.place.en}` : ''}${c.openedText ? `, opened ${c.openedText}` : ''}, now at the stage "${stageName(c).en}"${c.assigneeName ? `, assigned to ${c.assigneeName}` : ''}. Major problems are reported to school leadership within 48 hours: this is that report.`,
    casePage: 'Open the case page for the details',
  }),
  taken_off: (c) => ({
    subject: `[Case moved] ${c.caseId}: ${c.title}`,
    intro: `A supervisor has moved the case "${c.title}" to ${c.assigneeName ?? 'a colleague'}: you need not act on it any more, and the links mailed to you for it no longer work.${c.detail ? ` Reason given: ${endSentence(c.detail, '.')}` : ''}`,
  }),
  handed_over: (c) => ({
    subject: `[Case handed over] ${c.caseId}: ${c.title}`,
    intro: `${c.move ? moveNamesIn('en', c.move).from : 'Its holder'} has handed the case "${c.title}" over to ${c.assigneeName ?? 'a colleague'}.${c.detail ? ` Reason given: ${endSentence(c.detail, '.')}` : ''}`,
    casePage: 'Open the case page',
  }),
  effect_stuck: (c) => ({
    subject: `[Action needed] An automatic step failed ${c.caseId}: ${c.title}`,
    intro: `An automatic step of "${c.title}" could not be done (${c.detail ?? ''}). The case moves on; an admin retries or dismisses it.`,
    casePage: 'Open the "Failed automatic steps" page to retry or dismiss it',
  }),
};

/** How the deadline of the stage a mail is about is named in it. */
const dueLabels: Record<string, { zh: string; en: string }> = {
  analysing: { zh: '原因分析时限', en: 'Root-cause analysis due' },
  awaiting_signoff: { zh: '签字确认时限', en: 'Sign-off due' },
  adjudicating: { zh: '裁定时限', en: 'Adjudication due' },
  rectifying: { zh: '整改时限', en: 'Rectification due' },
  reviewing: { zh: '复查时限', en: 'Review due' },
  follow_up: { zh: '评价截止', en: 'Please rate by' },
};
/** Kinds that say their deadline in their own sentence, or are about no one's next step. */
const noDueLine: ReadonlySet<EmailKind> = new Set([
  'reminder',
  'escalation',
  'leadership_notice',
  'effect_stuck',
  'pause_request',
  'pause_approved',
  'pause_rejected',
  'pause_ended',
  'review_escalation',
  'taken_off',
  // The review's deadline is the supervisors' to meet, not the technician's; a hand-over asks nothing.
  'reopened_assignee',
  'handed_over',
]);

/**
 * The stage deadline a pause decision restates: the technician reads by when the stage is due
 * (a rejection's) or which due the pause moves on (an approval's, whose own due is the pause's
 * end). From the case record; a rejection's request carries the stage's due itself in cases
 * whose mail states it, taken when the record had none.
 */
function decisionStageDue(c: EmailContext): StageDueNote | undefined {
  if (c.kind !== 'pause_approved' && c.kind !== 'pause_rejected') return undefined;
  if (c.stageDue) return c.stageDue;
  if (c.kind !== 'pause_rejected' || !c.dueText || !isStage(c.stage)) return undefined;
  return { stage: c.stage, dueText: c.dueText, passed: false, held: false };
}

/** "整改时限：…", said as late or as the due before the pause where it is. */
function stageDueLine(l: MailHalf, d: StageDueNote): string {
  const label = dueLabels[d.stage];
  if (!label) return '';
  if (l === 'zh')
    return `${label.zh}：${d.dueText}${d.passed ? '（已超时）' : d.held ? '（暂停前的时限，暂停结束时按暂停时长顺延）' : ''}`;
  return `${label.en}: ${d.dueText}${d.passed ? ' (overdue)' : d.held ? ' (before the pause: it moves on by the pause’s length when the pause ends)' : ''}`;
}

/**
 * What a kind calls the text it quotes (its `detail`), to say the photos that came with it: the
 * references are left out of the mail (an id means nothing to a reader and links nowhere), the
 * photos are on the case page. A kind not listed quotes no text a person wrote with photos, or
 * goes to someone who can no longer open the case (taken_off).
 */
const photosOf: Partial<Record<EmailKind, Bilingual>> = {
  review_failed: { zh: '复查', en: 'The review' },
  reopened: { zh: '评价', en: 'The rating' },
  reopened_assignee: { zh: '评价', en: 'The rating' },
  handed_over: { zh: '移交原因', en: 'The reason given' },
  adjudication_request: { zh: '异议', en: 'The dispute' },
  adjudicated: { zh: '裁定', en: 'The decision' },
  pause_request: { zh: '暂停申请', en: 'The request' },
  pause_approved: { zh: '审批意见', en: 'The decision' },
  pause_rejected: { zh: '驳回理由', en: 'The reason' },
  assigned: { zh: '转交原因', en: 'The reason given' },
};

function photoLine(l: MailHalf, kind: EmailKind, photos: number): string {
  const of = photosOf[kind];
  if (!of || photos === 0) return '';
  if (l === 'zh') return `${of.zh}附照片 ${photos} 张，请在案件页面查看。`;
  return photos === 1
    ? `${of.en} has 1 photo; see it on the case page.`
    : `${of.en} has ${photos} photos; see them on the case page.`;
}

/**
 * The context's other typed texts (people's names, the place, a pause's note) kept from becoming
 * links wherever the mail quotes them (`noAutolink`); the title and the detail are broken once
 * they are split into their halves. The links the mail adds itself are not touched.
 */
function typedUnlinked(c: EmailContext): EmailContext {
  return {
    ...c,
    recipientName: noAutolink(c.recipientName),
    assigneeName: noAutolinkOpt(c.assigneeName),
    actorName: noAutolinkOpt(c.actorName),
    place: c.place && noAutolinkPair(c.place),
    move: c.move && { ...c.move, byName: noAutolink(c.move.byName), fromName: noAutolink(c.move.fromName) },
    pause: c.pause && { ...c.pause, note: noAutolinkOpt(c.pause.note) },
  };
}

/**
 * A complaint's assignment without its arrival link: a complaint is answered, not attended on
 * site (domain/case-handling.ts `recordsArrival`), though its response clock lists the arrival
 * and the case hands its mail one.
 */
function withoutArrival(c: EmailContext): EmailContext {
  return c.kind === 'assigned' && !arrivalOffered(c) ? { ...c, actionUrl: undefined } : c;
}

/** The mails that send their reader to the case's place, which they name on a line of its own. */
const placeLineKinds: ReadonlySet<EmailKind> = new Set(['assigned', 'escalation']);

/** One email in the recipient's language first and the other language beneath it. */
export function renderEmail(
  lang: Language,
  given: EmailContext,
): { subject: string; text: string; html: string } {
  const c = withoutArrival(typedUnlinked(given));
  // A title written in both languages ("… 不合格 / …: failed", as a failed 6T item's case is
  // named) reads once in each block: each language's lines carry their own half of it, and a
  // scanned report's kind ("报修：…") reads in that half's language. Typed, it links nowhere
  // (broken once split, so it is split as written).
  const title = { zh: noAutolink(caseTitleIn(c.title, 'zh')), en: noAutolink(caseTitleIn(c.title, 'en')) };
  // The notes a step carries may hold the references of photos appended to them (a review's):
  // the mail quotes the words and says how many photos there are, on the case page it links.
  const notes = c.detail === undefined ? undefined : notesWithoutEvidence(c.detail);
  const detail = notes?.text === '' ? undefined : notes?.text;
  const photos = notes?.refs.length ?? 0;
  const lines = (l: MailHalf): Lines => {
    // Each half quotes the detail in its own language where the workflow joined both (a pause's
    // reason, a rating's aspects), its typed words kept from becoming a link.
    const own = detail === undefined ? undefined : noAutolink(detailIn(l, c.kind, detail));
    const said = (l === 'zh' ? zh : en)[c.kind]({ ...c, title: title[l], detail: own });
    const seePhotos = l === 'zh' ? '打开案件页面查看照片' : 'Open the case page for the photos';
    return photoLine(l, c.kind, photos) && !said.casePage ? { ...said, casePage: seePhotos } : said;
  };
  const said = { zh: lines('zh'), en: lines('en') };
  const [firstLang, secondLang] = mailHalves(lang);
  const [a, b] = [said[firstLang], said[secondLang]];
  const greeting = mailGreeting(lang, c.recipientName, reporterKinds.has(c.kind) ? 'reporter' : 'staff');
  // The case number is what people quote on the phone and search by; actions go through the signed link.
  const caseLine = lang === 'en' ? `Case number: ${c.caseId}` : `案件编号：${c.caseId}`;
  // A link's address after its label, each half punctuated as its language is (a full-width colon in Chinese).
  const linked = (l: MailHalf, label: string, href: string) => `${label}${l === 'zh' ? '：' : ': '}${href}`;
  const actionLine = (l: MailHalf) => (c.actionUrl ? linked(l, said[l].action ?? '', c.actionUrl) : '');
  // Through sign-in when signed out: the /app pages send a signed-out reader to /login and back.
  const casePageLine = (l: MailHalf) => {
    const label = said[l].casePage;
    return c.caseUrl && label ? linked(l, label, c.caseUrl) : '';
  };
  // A reporter has no case page to open: the report's tracking page is where they follow it.
  const trackLabel = { zh: '查看处理进度', en: 'Follow your report' };
  const trackLine = (l: MailHalf) => (c.trackUrl ? linked(l, trackLabel[l], c.trackUrl) : '');
  const label = noDueLine.has(c.kind) ? undefined : dueLabels[c.stage];
  const decided = decisionStageDue(c);
  const dueLine = (l: MailHalf) => {
    if (decided) return stageDueLine(l, decided);
    return label && c.dueText ? (l === 'zh' ? `${label.zh}：${c.dueText}` : `${label.en}: ${c.dueText}`) : '';
  };
  const pausedLine = (l: MailHalf) => (c.pause ? pauseLine[l](c.pause, dueLine(l) !== '') : '');
  // The promises made to the reporter, under the stage's own deadline: often the earlier of the two.
  const clockLines = (l: MailHalf) =>
    clockLineKinds.has(c.kind) ? (c.clocks ?? []).map((n) => clockLine(l, n)) : [];
  // Where the work is, on a line of its own in the mails that send someone there.
  const placeLine = (l: MailHalf) =>
    c.place && placeLineKinds.has(c.kind)
      ? l === 'zh'
        ? `地点：${c.place.zh}`
        : `Place: ${c.place.en}`
      : '';
  const text = mailText(
    greeting,
    [
      a.intro,
      photoLine(firstLang, c.kind, photos),
      placeLine(firstLang),
      dueLine(firstLang),
      ...clockLines(firstLang),
      pausedLine(firstLang),
      actionLine(firstLang),
      casePageLine(firstLang),
      trackLine(firstLang),
      caseLine,
    ],
    [
      b.intro,
      photoLine(secondLang, c.kind, photos),
      placeLine(secondLang),
      dueLine(secondLang),
      ...clockLines(secondLang),
      pausedLine(secondLang),
      actionLine(secondLang),
      casePageLine(secondLang),
      trackLine(secondLang),
    ],
  );
  const links: MailLink[] = [
    ...(c.actionUrl
      ? [
          {
            href: c.actionUrl,
            label: { zh: said.zh.action ?? '', en: said.en.action ?? '' },
            look: 'primary' as const,
          },
        ]
      : []),
    ...(c.caseUrl && a.casePage
      ? [
          {
            href: c.caseUrl,
            label: { zh: said.zh.casePage ?? '', en: said.en.casePage ?? '' },
            look: 'outline' as const,
          },
        ]
      : []),
    ...(c.trackUrl ? [{ href: c.trackUrl, label: trackLabel, look: 'outline' as const }] : []),
  ];
  const due = (l: MailHalf) => [
    placeLine(l),
    ...(dueLine(l) ? [{ strong: dueLine(l) }] : []),
    ...clockLines(l),
    pausedLine(l),
  ];
  const html = mailHtml({
    first: firstLang,
    greeting,
    lead: [a.intro, photoLine(firstLang, c.kind, photos), ...due(firstLang)],
    links,
    tail: [caseLine],
    other: [b.intro, photoLine(secondLang, c.kind, photos), ...due(secondLang)],
  });
  return { subject: `${a.subject} / ${b.subject}`, text, html };
}
