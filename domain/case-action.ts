import type { Bilingual } from './text.ts';

/**
 * Every action the case workflow records, in its timeline and in the audit chain, with
 * how a person reads it. The workflow, the KPIs and the audit timeline all take the
 * action names from here, so renaming one is a compile error wherever it is read.
 */
const caseActionLabels = {
  detected: { zh: '登记问题', en: 'Problem recorded' },
  assigned: { zh: '指派负责人', en: 'Assigned' },
  root_cause_submitted: { zh: '提交原因分析与整改方案', en: 'Root cause and plan submitted' },
  signed_off: { zh: '责任人签字确认', en: 'Signed off by the responsible person' },
  disputed: { zh: '责任人提出异议', en: 'Disputed by the responsible person' },
  adjudicated: { zh: '主管裁决', en: 'Dispute adjudicated' },
  rectification_reported: { zh: '报告整改完成', en: 'Rectification reported' },
  review_passed: { zh: '复查合格', en: 'Review passed' },
  review_failed: { zh: '复查不合格', en: 'Review failed' },
  review_escalated: { zh: '多次复查不合格，上报工作小组', en: 'Repeated failed reviews escalated' },
  follow_up_rated: { zh: '回访评价', en: 'Follow-up rated' },
  follow_up_low_score: { zh: '回访评价偏低，重新复查', en: 'Low follow-up score: reopened' },
  closed: { zh: '结案', en: 'Closed' },
  closed_unrated: { zh: '回访未评价，结案', en: 'Closed without a rating' },
  withdrawn: { zh: '撤销案件', en: 'Withdrawn' },
  commented: { zh: '添加备注', en: 'Comment added' },
  deadline_set: { zh: '设定时限', en: 'Deadline set' },
  deadline_recounted: { zh: '校历调整，重新计算时限', en: 'Deadline recounted for a calendar change' },
  reminder_sent: { zh: '发送提醒', en: 'Reminder sent' },
  deadline_breached: { zh: '超出时限', en: 'Deadline breached' },
  escalated: { zh: '逐级上报', en: 'Escalated' },
  leadership_notified: { zh: '报告校领导', en: 'Leadership notified' },
  effect_failed: { zh: '自动操作失败，待管理员处理', en: 'An automatic step failed: waiting for an admin' },
  effect_retried: { zh: '管理员重试失败的操作', en: 'Failed step retried by an admin' },
  effect_dismissed: { zh: '管理员忽略失败的操作', en: 'Failed step dismissed by an admin' },
  arrived: { zh: '维修人员到场', en: 'Arrived on site' },
  pause_requested: { zh: '申请暂停计时', en: 'Pause requested' },
  pause_approved: { zh: '主管批准暂停', en: 'Pause approved' },
  pause_rejected: { zh: '主管驳回暂停', en: 'Pause rejected' },
  pause_ended: { zh: '暂停结束，恢复计时', en: 'Pause ended; clocks running again' },
  reassigned: { zh: '主管改派', en: 'Reassigned' },
  handed_over: { zh: '移交同事', en: 'Handed over to a colleague' },
} as const satisfies Record<string, Bilingual>;

export type CaseAction = keyof typeof caseActionLabels;
export const caseActions = Object.keys(caseActionLabels) as readonly CaseAction[];

/** Whether a stored action string (from an audit entry or an old record) is one of the case's. */
export const isCaseAction = (action: string): action is CaseAction => Object.hasOwn(caseActionLabels, action);

/** How a person reads a case action, in Chinese and English. */
export const caseActionLabel = (action: CaseAction): Bilingual => caseActionLabels[action];

/** The two actions that carry a follow-up survey score. */
export const scoredActions = {
  rated: 'follow_up_rated',
  reopened: 'follow_up_low_score',
} as const satisfies Record<string, CaseAction>;

// --- the follow-up survey score -------------------------------------------

export const surveyScores = [1, 2, 3, 4, 5] as const;
/** The reporter's rating on the 1–5 scale of the follow-up survey (5 = 非常满意). */
export type SurveyScore = (typeof surveyScores)[number];

export const isSurveyScore = (n: unknown): n is SurveyScore =>
  typeof n === 'number' && (surveyScores as readonly number[]).includes(n);

/** Below this score the result is not accepted and the case goes back to review. */
export const REOPEN_BELOW_SCORE = 3;
export const surveyReopens = (score: SurveyScore): boolean => score < REOPEN_BELOW_SCORE;

/** Records written before the timeline carried a typed score held it as this text in `detail`. */
const LEGACY_SCORE_DETAIL = /^score ([1-5])\/5$/;

/**
 * The survey score a timeline entry carries: its typed `score`, or, for entries recorded
 * before that field existed, the old `score N/5` text in its detail.
 */
export function entryScore(entry: {
  score?: number | undefined;
  detail?: string | undefined;
}): SurveyScore | undefined {
  if (isSurveyScore(entry.score)) return entry.score;
  const m = LEGACY_SCORE_DETAIL.exec(entry.detail ?? '');
  const legacy = m ? Number(m[1]) : undefined;
  return isSurveyScore(legacy) ? legacy : undefined;
}
