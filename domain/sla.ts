// Longer than most modules because the SLA catalogue is data: one table of rules with their seeds, kept whole so it can be read against the standards.
// The SLA catalogue: the time limits the seeds state, as versioned data, and the
// resolver that picks the rule for a case. Pure data and logic, safe in workflows.
//
// Seed 002 is a scraped traditional-script page with pinyin ruby residue; its
// sentences below are transcribed to simplified Chinese with the wording kept.
import type { Duration } from './calendar.ts';

export const sources = ['inspection', 'complaint', 'repair', 'grid_report', 'evaluation'] as const;
export type Source = (typeof sources)[number];

export const severities = ['routine', 'urgent', 'major'] as const;
export type Severity = (typeof severities)[number];

export const timedStages = [
  'analysing',
  'awaiting_signoff',
  'adjudicating',
  'rectifying',
  'reviewing',
  'follow_up',
] as const;
export type TimedStage = (typeof timedStages)[number];

/** Categories that have rules of their own; any other category string falls back to its source's rule. */
export const slaCategories = {
  /** Inspection findings under seed 000's 天天安全保障 dimension, and hazards reported from the wall. */
  safety: 'safety',
  /** Complaints about a staff member's service (seed 000, 天天检查评估). */
  staff: 'staff',
} as const;

export const SLA_CATALOGUE_VERSION = '2026.3';

export interface SlaRule {
  id: string;
  source?: Source;
  severity?: Severity;
  category?: string;
  label: { zh: string; en: string };
  seed: string;
  stages: Record<TimedStage, Duration>;
  leadershipNotice?: Duration;
}

export interface SlaCatalogue {
  version: string;
  rules: readonly SlaRule[];
}

export interface SlaResolution {
  version: string;
  rule: SlaRule;
}

const minutes = (amount: number): Duration => ({ unit: 'minutes', amount });
const hours = (amount: number): Duration => ({ unit: 'hours', amount });
const days = (amount: number): Duration => ({ unit: 'days', amount });
const workingDays = (amount: number): Duration => ({ unit: 'working_days', amount });

/** Stage limits where no seed states one. */
export const DEFAULT_STAGES: Readonly<Record<TimedStage, Duration>> = {
  // Seed 002's general "respond within 24 h" is the only limit it gives for a first reaction.
  analysing: hours(24),
  // Signing is a click in an email; one working day leaves room for staff on shifts.
  awaiting_signoff: workingDays(1),
  // A dispute needs a supervisor to look at evidence, so two working days.
  adjudicating: workingDays(2),
  // Fixed before the next weekly check (周查), matching seed 002's 5-working-day written result.
  rectifying: workingDays(5),
  // Re-inspection (复查) is a site visit; two working days fits the daily inspection round.
  reviewing: workingDays(2),
  // The reporter is asked within a week, in step with the weekly feedback (每周反馈).
  follow_up: days(7),
};

// Seed 002: "重大问题须在48小时内上报校领导".
const LEADERSHIP_NOTICE = hours(48);

const stages = (given: Partial<Record<TimedStage, Duration>>): Record<TimedStage, Duration> => ({
  ...DEFAULT_STAGES,
  ...given,
});

const rules: readonly SlaRule[] = [
  {
    id: 'repair.urgent',
    source: 'repair',
    severity: 'urgent',
    seed: '000',
    label: {
      zh: '零星维修24小时内完成，影响学生生活和公寓安全的报修应30分钟内到场并及时处置。',
      en: 'Repairs affecting student life or dormitory safety on site within 30 minutes; small repairs done within 24 hours.',
    },
    stages: stages({ analysing: minutes(30), rectifying: hours(24) }),
  },
  {
    id: 'repair.routine',
    source: 'repair',
    severity: 'routine',
    seed: '000',
    label: {
      zh: '一般维修2小时到场；零星维修24小时内完成。',
      en: 'General repair, on site within 2 hours; small repairs done within 24 hours.',
    },
    stages: stages({ analysing: hours(2), rectifying: hours(24) }),
  },
  {
    // A major repair is at least as pressing as an urgent one, and leadership must hear of it.
    id: 'repair.major',
    source: 'repair',
    severity: 'major',
    seed: '000+002',
    label: {
      zh: '急修需在半小时内到场；重大问题须在48小时内上报校领导。',
      en: 'Emergency repair, on site within half an hour; major problems reported to school leadership within 48 hours.',
    },
    stages: stages({ analysing: minutes(30), rectifying: hours(24) }),
    leadershipNotice: LEADERSHIP_NOTICE,
  },
  {
    id: 'complaint.routine',
    source: 'complaint',
    severity: 'routine',
    seed: '002',
    label: {
      zh: '一般投诉在24小时内响应；后勤部门需在3个工作日内完成调查，并在5个工作日内出具处理结果。',
      en: 'General complaint responded to within 24 hours, investigated within 3 working days and answered in writing within 5 working days.',
    },
    stages: stages({ analysing: hours(24), rectifying: workingDays(5) }),
  },
  {
    id: 'complaint.routine.staff',
    source: 'complaint',
    severity: 'routine',
    category: slaCategories.staff,
    seed: '000',
    label: {
      zh: '学生对员工服务质量的投诉，要及时记录，并在日间下班前上传至相关管理部门。',
      en: "Complaints about a staff member's service recorded and uploaded to management before the end of the working day.",
    },
    // working_days 0 is "before the end of today's working day".
    stages: stages({ analysing: workingDays(0), rectifying: workingDays(5) }),
  },
  {
    // The seed grades complaints only as general or major; an urgent one takes the faster
    // major limit but does not go to leadership.
    id: 'complaint.urgent',
    source: 'complaint',
    severity: 'urgent',
    seed: '002',
    label: {
      zh: '重大投诉在48小时内处理并反馈结果。',
      en: 'Urgent complaint handled and answered within 48 hours.',
    },
    stages: stages({ analysing: hours(24), rectifying: hours(48) }),
  },
  {
    id: 'complaint.major',
    source: 'complaint',
    severity: 'major',
    seed: '002',
    label: {
      zh: '重大投诉在48小时内处理并反馈结果；重大问题须在48小时内上报校领导。',
      en: 'Major complaint handled and answered within 48 hours; reported to school leadership within 48 hours.',
    },
    stages: stages({ analysing: hours(24), rectifying: hours(48) }),
    leadershipNotice: LEADERSHIP_NOTICE,
  },
  {
    id: 'evaluation',
    source: 'evaluation',
    seed: '002',
    label: {
      zh: '对于评估中发现的问题，后勤部门需在15个工作日内制定整改措施，并在整改完成后进行复查。',
      en: 'Rectification measures for an evaluation finding within 15 working days, then re-inspection.',
    },
    stages: stages({ rectifying: workingDays(15) }),
  },
  {
    id: 'evaluation.major',
    source: 'evaluation',
    severity: 'major',
    seed: '002',
    label: {
      zh: '对于评估中发现的问题，后勤部门需在15个工作日内制定整改措施；重大问题须在48小时内上报校领导。',
      en: 'Rectification measures for a major evaluation finding within 15 working days; reported to school leadership within 48 hours.',
    },
    stages: stages({ rectifying: workingDays(15) }),
    leadershipNotice: LEADERSHIP_NOTICE,
  },
  {
    // Seed 000 (检查评估 3) asks for the causes of "当天出现问题", the day's problems; 24 hours
    // keeps a late-evening finding fair, and the label says the limit the case runs under.
    id: 'inspection',
    source: 'inspection',
    seed: '000',
    label: {
      zh: '24小时内分析当天出现问题的原因、责任人，制定整改方案，并做好记录。',
      en: 'Inspection finding analysed for its causes and responsible person within 24 hours, with a rectification plan.',
    },
    stages: stages({ analysing: hours(24) }),
  },
  {
    // A safety hazard cannot wait for working days; 24 hours like the seed's small repair.
    id: 'inspection.safety',
    source: 'inspection',
    category: slaCategories.safety,
    seed: '000',
    label: {
      zh: '天天安全保障问题24小时内分析原因、责任人，制定整改方案；零星维修24小时内完成。',
      en: 'Safety finding analysed within 24 hours, then fixed within 24 hours.',
    },
    stages: stages({ analysing: hours(24), rectifying: hours(24) }),
  },
  {
    id: 'inspection.major',
    source: 'inspection',
    severity: 'major',
    seed: '000+002',
    label: {
      zh: '24小时内分析当天出现问题的原因、责任人，制定整改方案；重大问题须在48小时内上报校领导。',
      en: 'Major inspection finding analysed within 24 hours; reported to school leadership within 48 hours.',
    },
    stages: stages({ analysing: hours(24) }),
    leadershipNotice: LEADERSHIP_NOTICE,
  },
  {
    id: 'inspection.major.safety',
    source: 'inspection',
    severity: 'major',
    category: slaCategories.safety,
    seed: '000+002',
    label: {
      zh: '天天安全保障问题24小时内分析原因、责任人，零星维修24小时内完成；重大问题须在48小时内上报校领导。',
      en: 'Major safety finding analysed within 24 hours, then fixed within 24 hours; reported to school leadership within 48 hours.',
    },
    stages: stages({ analysing: hours(24), rectifying: hours(24) }),
    leadershipNotice: LEADERSHIP_NOTICE,
  },
  {
    // A grid member's report is a problem found while the service runs.
    id: 'grid_report',
    source: 'grid_report',
    seed: '002',
    label: {
      zh: '对于服务执行过程中出现的问题，后勤部门需在24小时内响应并处理。',
      en: 'Problem during service execution responded to and dealt with within 24 hours.',
    },
    stages: stages({ analysing: hours(24) }),
  },
  {
    id: 'grid_report.major',
    source: 'grid_report',
    severity: 'major',
    seed: '002',
    label: {
      zh: '对于服务执行过程中出现的问题，后勤部门需在24小时内响应并处理，重大问题须在48小时内上报校领导。',
      en: 'Major problem during service execution responded to within 24 hours; reported to school leadership within 48 hours.',
    },
    stages: stages({ analysing: hours(24) }),
    leadershipNotice: LEADERSHIP_NOTICE,
  },
  {
    // A hazard a student or grid member reports from the wall is the seed's "affects dormitory
    // safety": fixed within 24 hours like the inspection's safety finding, never on working days.
    id: 'grid_report.safety',
    source: 'grid_report',
    category: slaCategories.safety,
    seed: '000+002',
    label: {
      zh: '安全隐患24小时内响应；影响学生生活和公寓安全的问题24小时内处置完成。',
      en: 'Safety hazard responded to and fixed within 24 hours.',
    },
    stages: stages({ analysing: hours(24), rectifying: hours(24) }),
  },
  {
    // Triage's default for a reported hazard: someone there in 30 minutes, as the seed asks of a
    // repair that affects dormitory safety.
    id: 'grid_report.urgent.safety',
    source: 'grid_report',
    severity: 'urgent',
    category: slaCategories.safety,
    seed: '000',
    label: {
      zh: '影响学生生活和公寓安全的问题应30分钟内到场并及时处置，24小时内处置完成。',
      en: 'Urgent safety hazard, someone on site within 30 minutes; fixed within 24 hours.',
    },
    stages: stages({ analysing: minutes(30), rectifying: hours(24) }),
  },
  {
    id: 'grid_report.major.safety',
    source: 'grid_report',
    severity: 'major',
    category: slaCategories.safety,
    seed: '000+002',
    label: {
      zh: '影响学生生活和公寓安全的问题应30分钟内到场并及时处置；重大问题须在48小时内上报校领导。',
      en: 'Major safety hazard, someone on site within 30 minutes and fixed within 24 hours; reported to school leadership within 48 hours.',
    },
    stages: stages({ analysing: minutes(30), rectifying: hours(24) }),
    leadershipNotice: LEADERSHIP_NOTICE,
  },
  {
    // Kept for sources added later: a major problem of any origin reaches leadership.
    id: 'major',
    severity: 'major',
    seed: '002',
    label: {
      zh: '后勤部门需在24小时内响应并处理，重大问题须在48小时内上报校领导。',
      en: 'Major problem responded to within 24 hours; reported to school leadership within 48 hours.',
    },
    stages: stages({ analysing: hours(24) }),
    leadershipNotice: LEADERSHIP_NOTICE,
  },
  {
    id: 'fallback',
    seed: '002',
    label: {
      zh: '其他问题24小时内响应，其余环节按默认时限。',
      en: 'Anything else responded to within 24 hours; default limits for the other stages.',
    },
    stages: stages({}),
  },
];

const ruleKey = (r: Pick<SlaRule, 'source' | 'severity' | 'category'>): string =>
  JSON.stringify([r.source ?? null, r.severity ?? null, r.category ?? null]);

/**
 * Refuses a catalogue the resolver could not use deterministically: two rules with the
 * same (source, severity, category) would tie, and without a fallback a case could get none.
 */
export function validateCatalogue(catalogue: SlaCatalogue): void {
  const keys = new Set<string>();
  const ids = new Set<string>();
  for (const rule of catalogue.rules) {
    if (ids.has(rule.id))
      throw new Error(`SLA catalogue ${catalogue.version}: duplicate rule id '${rule.id}'`);
    ids.add(rule.id);
    const key = ruleKey(rule);
    if (keys.has(key))
      throw new Error(`SLA catalogue ${catalogue.version}: rule '${rule.id}' duplicates ${key}`);
    keys.add(key);
    for (const stage of timedStages) {
      const d = rule.stages[stage];
      if (!Number.isFinite(d.amount) || d.amount < 0) {
        throw new Error(`SLA catalogue ${catalogue.version}: rule '${rule.id}' has a bad ${stage} limit`);
      }
    }
  }
  if (!keys.has(ruleKey({}))) throw new Error(`SLA catalogue ${catalogue.version}: no fallback rule`);
}

// Frozen because resolveSla hands out these very objects: one caller's mutation would
// silently change the limits of every later case.
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

export const slaCatalogue: SlaCatalogue = deepFreeze({ version: SLA_CATALOGUE_VERSION, rules });
validateCatalogue(slaCatalogue);

// Weights make the order source+severity+category > source+severity > source+category > source
// > severity+category > severity > category > fallback: the source decides who acts, so it
// outranks severity, and severity outranks category so a major case never loses its
// leadership notice to a category rule.
function specificity(rule: SlaRule): number {
  return (rule.source ? 4 : 0) + (rule.severity ? 2 : 0) + (rule.category !== undefined ? 1 : 0);
}

function matches(rule: SlaRule, input: { source: Source; severity: Severity; category?: string }): boolean {
  return (
    (rule.source === undefined || rule.source === input.source) &&
    (rule.severity === undefined || rule.severity === input.severity) &&
    (rule.category === undefined || rule.category === input.category)
  );
}

/**
 * A case's rule as the catalogue words it now. A case keeps the label its policy pinned when it
 * opened; one worded before the labels lost their inner colon ("General repair: on site …", which
 * the pages follow with ": …" or put after "A failed check opens a case: ") reads as the rule is
 * worded now, as long as the catalogue still has that rule at the case's version (the same limits).
 * A case under another version keeps its own label.
 */
export function slaLabelNow(
  sla: { version: string; ruleId: string; label: { zh: string; en: string } },
  catalogue: SlaCatalogue = slaCatalogue,
): { zh: string; en: string } {
  if (sla.version !== catalogue.version) return sla.label;
  return catalogue.rules.find((r) => r.id === sla.ruleId)?.label ?? sla.label;
}

/** The most specific rule matching a case, with the catalogue version to record beside it. */
export function resolveSla(
  input: { source: Source; severity: Severity; category?: string },
  catalogue: SlaCatalogue = slaCatalogue,
): SlaResolution {
  let best: SlaRule | undefined;
  for (const rule of catalogue.rules) {
    if (!matches(rule, input)) continue;
    // Strictly greater keeps the first of equals, though validateCatalogue rules out ties.
    if (best === undefined || specificity(rule) > specificity(best)) best = rule;
  }
  if (!best) throw new Error(`SLA catalogue ${catalogue.version} has no rule for ${ruleKey(input)}`);
  return { version: catalogue.version, rule: best };
}
