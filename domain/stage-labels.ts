import type { Stage } from './case-model.ts';
import type { Bilingual } from './text.ts';

/**
 * What each stage of a case is called, the one source for every page, timeline and KPI
 * that names a stage. Nouns, so they read both as "the stage now" and inside a phrase
 * ("整改按时完成率").
 */
export const stageLabels: Readonly<Record<Stage, Bilingual>> = {
  detected: { zh: '登记', en: 'detection' },
  analysing: { zh: '原因分析', en: 'analysis' },
  awaiting_signoff: { zh: '员工签字确认', en: 'staff sign-off' },
  adjudicating: { zh: '异议裁定', en: 'dispute adjudication' },
  rectifying: { zh: '整改', en: 'rectification' },
  reviewing: { zh: '复查', en: 'review' },
  follow_up: { zh: '回访', en: 'follow-up' },
  closed: { zh: '已结案', en: 'closed' },
  withdrawn: { zh: '已撤销', en: 'withdrawn' },
};

export const stageLabel = (stage: Stage): Bilingual => stageLabels[stage];

/**
 * Where a case stands, as a badge or a timeline reads it ("整改中 / Rectifying"): the same
 * stages in the form of a state rather than a noun. Pages and the audit timeline use these.
 */
export const stageStatusLabels: Readonly<Record<Stage, Bilingual>> = {
  detected: { zh: '已登记', en: 'Detected' },
  analysing: { zh: '原因分析', en: 'Analysing' },
  awaiting_signoff: { zh: '待签字确认', en: 'Awaiting sign-off' },
  adjudicating: { zh: '异议裁决', en: 'Adjudicating' },
  rectifying: { zh: '整改中', en: 'Rectifying' },
  reviewing: { zh: '复查', en: 'Reviewing' },
  follow_up: { zh: '回访', en: 'Follow-up' },
  closed: { zh: '已结案', en: 'Closed' },
  withdrawn: { zh: '已撤销', en: 'Withdrawn' },
};
