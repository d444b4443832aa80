/**
 * Where each staff stage's time limit comes from, for its on-time KPI: the 6T items (seed 000)
 * that set it, the sections of 《学校后勤管理与服务指南（标准版）》 (seed 002) that do, and, where
 * no seed sets one, that the limit is the system's own default (DEFAULT_STAGES). Pure data.
 *
 * The English text is the KPI's `source` (the API and stored weekly reports carry it); the
 * Chinese is what a campus reader sees where no item is cited.
 */
import type { Duration } from './calendar.ts';
import { DEFAULT_STAGES, type TimedStage } from './sla.ts';
import type { Bilingual } from './text.ts';

/** The stages staff and supervisors are timed on (follow-up waits on the reporter). */
type StaffStage = Exclude<TimedStage, 'follow_up'>;

export interface StageLimitSource {
  /** The 6T items whose requirements set the stage's limits; empty when none does. */
  cites: string[];
  text: Bilingual;
}

const GUIDE = {
  zh: '《学校后勤管理与服务指南（标准版）》',
  en: 'the School Logistics Management and Service Guide (standard edition)',
};
const STANDARD_EN = 'the dormitory 6T standard';
const STANDARD = '《学生公寓“6T”现场管理标准》';
const COMMITMENT = { zh: '每个时限都是一项承诺', en: 'Every deadline is a commitment.' };

/** A default limit as written in the sources: "1 个工作日" / "1 working day". */
function limitText(d: Duration): Bilingual {
  const zh = { minutes: '分钟', hours: '小时', days: '天', working_days: '个工作日' }[d.unit];
  const en = { minutes: 'minute', hours: 'hour', days: 'day', working_days: 'working day' }[d.unit];
  return { zh: `${d.amount} ${zh}`, en: `${d.amount} ${en}${d.amount === 1 ? '' : 's'}` };
}

/** A stage whose limit no seed sets: says so, names what the seeds do ask of it, and gives the default. */
function ownDefault(stage: StaffStage, what: Bilingual, asked?: Bilingual): StageLimitSource {
  const limit = limitText(DEFAULT_STAGES[stage]);
  return {
    cites: [],
    text: {
      zh: `标准未规定${what.zh}的时限${asked ? `（${asked.zh}）` : ''}：本系统默认 ${limit.zh}；${COMMITMENT.zh}`,
      en: `No standard sets a time limit for ${what.en}${asked ? ` (${asked.en})` : ''}: the system's own default, ${limit.en}. ${COMMITMENT.en}`,
    },
  };
}

export const stageLimitSources: Readonly<Record<StaffStage, StageLimitSource>> = {
  analysing: {
    cites: ['6t.evaluation.3', '6t.evaluation.1', '6t.evaluation.6', '6t.management.11'],
    text: {
      zh: `${STANDARD}检查评估 3（分析当天出现问题的原因、责任人，制定整改方案）、检查评估 1（员工服务质量投诉在日间下班前上传）、检查评估 6 与规范 11（一般维修2小时到场，急修半小时内到场）；${GUIDE.zh}3.2、3.4（问题与一般投诉24小时内响应）；${COMMITMENT.zh}`,
      en: `${STANDARD_EN}, inspection item 3 (find the cause and the person responsible the same day, and plan the rectification), inspection item 1 (complaints about a staff member's service are recorded before the end of the working day), inspection item 6 and management item 11 (repairs: on site within 2 hours, urgent ones within half an hour); ${GUIDE.en}, sections 3.2 and 3.4 (problems and complaints answered within 24 hours). ${COMMITMENT.en}`,
    },
  },
  awaiting_signoff: ownDefault(
    'awaiting_signoff',
    { zh: '责任人签字确认', en: 'the sign-off' },
    {
      zh: `${STANDARD}检查评估 3 要求员工签字确认，未定时限`,
      en: `${STANDARD_EN}, inspection item 3, asks for the staff member's signed confirmation, without a limit`,
    },
  ),
  adjudicating: ownDefault('adjudicating', { zh: '异议裁决', en: 'deciding a dispute' }),
  rectifying: {
    cites: ['6t.management.11'],
    text: {
      zh: `${STANDARD}规范 11（零星维修24小时内完成）；${GUIDE.zh}3.4（投诉5个工作日内出具处理结果，重大投诉48小时内处理并反馈结果）、3.3（评估问题15个工作日内制定整改措施）；检查和网格上报的问题标准未规定时限，本系统默认 ${limitText(DEFAULT_STAGES.rectifying).zh}（安全隐患24小时）；${COMMITMENT.zh}`,
      en: `${STANDARD_EN}, management item 11 (minor repairs done within 24 hours); ${GUIDE.en}, section 3.4 (a complaint's result within 5 working days, a major complaint handled and answered within 48 hours) and section 3.3 (an evaluation problem's measures within 15 working days); inspection findings and grid reports have no limit in the standards: the system's own default, ${limitText(DEFAULT_STAGES.rectifying).en} (24 hours for a safety hazard). ${COMMITMENT.en}`,
    },
  },
  reviewing: ownDefault(
    'reviewing',
    { zh: '复查', en: 'the re-inspection' },
    {
      zh: `${GUIDE.zh}3.3 要求整改完成后复查，未定时限`,
      en: `${GUIDE.en}, section 3.3, asks for a re-inspection after the rectification, without a limit`,
    },
  ),
};
