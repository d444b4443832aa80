import type { ClockId, ClockState } from './case-clocks.ts';
import { isTerminal, type Stage } from './case-model.ts';
import type { Severity, Source } from './sla.ts';
import { inLang, splitBilingual, type Bilingual, type Lang } from './text.ts';
import { writtenLanguage } from './written-language.ts';

/**
 * What a person scanning a code can report, and what each becomes when
 * triage turns it into a case: the case's source and category (so the SLA
 * catalogue picks its clocks) and the severity triage starts from.
 */
export const reportKinds = ['repair', 'cleanliness', 'safety', 'service', 'complaint', 'suggestion'] as const;
export type ReportKind = (typeof reportKinds)[number];

export const reportKindInfo: Record<
  ReportKind,
  { label: Bilingual; source: Source; category: string; severity: Severity }
> = {
  repair: { label: { zh: '报修', en: 'Repair' }, source: 'repair', category: 'repair', severity: 'routine' },
  cleanliness: {
    label: { zh: '卫生', en: 'Cleanliness' },
    source: 'grid_report',
    category: 'cleanliness',
    severity: 'routine',
  },
  safety: {
    label: { zh: '安全隐患', en: 'Safety hazard' },
    source: 'grid_report',
    category: 'safety',
    severity: 'urgent',
  },
  service: {
    label: { zh: '服务', en: 'Service' },
    source: 'complaint',
    category: 'service',
    severity: 'routine',
  },
  // Filed as a complaint about staff (its SLA rule, the staff-etiquette KPI): the label says so.
  complaint: {
    label: { zh: '投诉（员工服务）', en: 'Complaint about staff' },
    source: 'complaint',
    category: 'staff',
    severity: 'routine',
  },
  suggestion: {
    label: { zh: '意见建议', en: 'Suggestion' },
    source: 'complaint',
    category: 'suggestion',
    severity: 'routine',
  },
};

/**
 * What a reporter in immediate danger is told first: a report waits for triage. No campus
 * security number is configured anywhere, so none is given.
 */
export const emergencyAdvice: Bilingual = {
  zh: '如遇紧急危险，请立即拨打校园保卫处电话或 119。',
  en: 'In immediate danger, call campus security or 119 at once.',
};

/**
 * How many times the hourly limits (per client address, per place) a safety-hazard report gets,
 * in windows of its own: a campus behind NAT shares one address, and a flood of other reports
 * must never hold back a report of a fire; the ceiling still stops a flood of "safety" ones.
 */
export const SAFETY_LIMIT_FACTOR = 10;

/** How many characters of a report's description its case's title takes. */
export const REPORT_TITLE_CHARS = 60;

/**
 * The title of a case opened from a report: its kind in the language the description is written
 * in, whatever form it was sent from ("报修：…" / "Repair: …", `writtenLanguage`), then its start, whitespace folded; a longer one is cut
 * at a word's end where its words are spaced, and marked with "…".
 */
export function reportCaseTitle(kind: Bilingual, description: string): string {
  const words = description.replace(/\s+/g, ' ').trim();
  const chars = [...words];
  let summary = words;
  if (chars.length > REPORT_TITLE_CHARS) {
    const cut = chars.slice(0, REPORT_TITLE_CHARS).join('');
    const space = cut.lastIndexOf(' ');
    summary = `${(space > REPORT_TITLE_CHARS / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
  }
  return writtenLanguage(words) === 'en' ? `${kind.en}: ${summary}` : `${kind.zh}：${summary}`;
}

/**
 * A case's category as people read it: the label of the report kind that gives it (repair → 报修
 * Repair); undefined for a category written freely, which is shown as written.
 */
export function categoryLabel(category: string): Bilingual | undefined {
  return Object.values(reportKindInfo).find((k) => k.category === category)?.label;
}

/** Where a report stands, as the reporter's tracking page tells it. */
export const reportStatuses = ['received', 'case', 'merged', 'rejected'] as const;
export type ReportStatus = (typeof reportStatuses)[number];

export const reportStatusLabel: Record<ReportStatus, Bilingual> = {
  // Told the reporter (the tracking page, their mail): who looks at it, not the staff's word "triage".
  received: { zh: '已收到，等待负责人员受理', en: 'Received, waiting for the staff in charge to look at it' },
  case: { zh: '已立案处理', en: 'Being handled as a case' },
  merged: { zh: '已并入同一问题的案件', en: 'Merged into a case about the same problem' },
  rejected: { zh: '未受理', en: 'Not taken up' },
};

/** Where a report stands on its tracking page: triage's decision, then how the case it went to ended. */
export type TrackedStatus = ReportStatus | 'resolved' | 'withdrawn';

export const trackedStatusLabel: Record<TrackedStatus, Bilingual> = {
  ...reportStatusLabel,
  resolved: { zh: '已办结', en: 'Resolved' },
  withdrawn: { zh: '案件已撤销', en: 'The case was withdrawn' },
};

/**
 * A report made a case of, or merged into one, stands where that case stands once it has ended
 * (a terminal stage): resolved when it closed, withdrawn when it was withdrawn. Until then, and for
 * a report with no case, it is triage's decision.
 */
export function trackedStatus(status: ReportStatus, caseStage?: Stage | undefined): TrackedStatus {
  if (caseStage === undefined || status === 'received' || status === 'rejected' || !isTerminal(caseStage))
    return status;
  return caseStage === 'withdrawn' ? 'withdrawn' : 'resolved';
}

// The return-visit survey lives in survey-questions.ts; these are its names as the intake's readers import them.
export {
  followUpScore,
  ratingWords,
  speltAspects,
  surveyAspects,
  surveyComment,
  type SurveyAspect,
} from './survey-questions.ts';

/**
 * What the reporter's tracking page says of a promise nobody recorded as kept once it can no
 * longer be: the case ended before its due ("cancelled" to the clock tallies, but nothing was
 * cancelled for the reporter), or the work it waited for is done (an arrival after the repair was
 * reported, still "pending" to the clock). Undefined when the clock's own state says it (kept,
 * late, still running, or a withdrawn case's promise, which is cancelled).
 */
export function unrecordedPromise(
  clock: { id: ClockId; state: ClockState; metAt?: string | undefined },
  stage: Stage,
): Bilingual | undefined {
  if (clock.metAt || clock.state === 'met' || clock.state === 'breached' || stage === 'withdrawn')
    return undefined;
  // An arrival is recorded while the work is being done; other promises are kept by the review at the latest.
  const past: readonly Stage[] =
    clock.id === 'on_site_arrival' ? ['reviewing', 'follow_up', 'closed'] : ['follow_up', 'closed'];
  if (clock.state === 'pending' && !past.includes(stage)) return undefined;
  return clock.id === 'on_site_arrival'
    ? { zh: '未登记到场', en: 'Arrival not recorded' }
    : { zh: '未登记完成', en: 'Not recorded as kept' };
}

/**
 * A report's reason as its reporter reads it: triage writes a merge's reason in both languages
 * ("与案件 … 为同一问题 / the same problem as case …"); the reader gets their own. A reason in one
 * language (a person's words) is shown as written.
 */
export const reportReasonIn = (reason: string, lang: Lang): string => inLang(splitBilingual(reason), lang);
