// Longer than most modules because every KPI with its target and its source seed is kept in one table beside its arithmetic.
/**
 * The KPI catalogue from the users' standards (DOMAIN.md, seeds 000/002/004)
 * and its computation from case views. Pure: no I/O, safe in workflows.
 *
 * Every KPI is computed over a cohort: the cases opened in the period, as they
 * stand now. Counting goes through a mergeable tally so a week's figures can be
 * stored once they can no longer change (every case in the cohort terminal) and
 * summed with others instead of re-reading cases.
 *
 * Definitions (where the seeds leave room):
 * - complaint handled: the complainant got an answer, i.e. the case reached
 *   follow-up, was closed, or was withdrawn (found invalid and answered). A
 *   complaint still open is left out until its answer deadline has passed
 *   (then it is missed), as pending deadlines are (domain/complaint-handling.ts).
 * - on time per stage: resolved deadlines only (met or breached; pending ones
 *   are not yet decided). Follow-up is the reporter's time, not the staff's, so
 *   it has no on-time rate.
 * - on site within 30 minutes / 2 hours: the repair's on-site arrival clock
 *   (domain/case-clocks.ts; urgent and major repairs have the 30-minute rule,
 *   routine ones 2 hours), met in time or breached; a clock still running or
 *   cancelled is left out. A case opened before clocks existed is judged by its
 *   first decided analysing deadline instead.
 * - small repair done within 24 hours: the repair's 24-hour clock, met or
 *   breached; a case opened before clocks, by its rectification deadlines (every
 *   round) all met, one breached round making it late.
 * - satisfaction: a case's latest follow-up score on the 1–5 scale; satisfied
 *   means 4 (满意) or 5 (非常满意). Unrated follow-ups are left out, and a
 *   later unrated round does not erase an earlier score.
 * - valid complaint: a complaint not withdrawn. The standard allows at most 5 per
 *   building per year, so it is judged on the calendar year (campus time) to date,
 *   building by building: a week's count says nothing about a year, and a year's
 *   count is not known until the year is over. The value is the count of the
 *   building with the most; its verdict is 'missed' as soon as one exceeds 5.
 * - reopen rate: cases reopened by a low follow-up score, over cases that
 *   reached follow-up.
 * - service-etiquette satisfaction (育人 7: students' satisfaction with staff's
 *   civil language and conduct): the 服务态度 (attitude) score of a case's latest
 *   return-visit rating, whatever the case was about; for a one-score rating,
 *   only cases about staff conduct count, by that score (domain/etiquette-rating.ts).
 *   Satisfied as above.
 * - inspection pass rate per dimension: items passed over items passed or
 *   failed in the completed inspection rounds of the period (not applicable and
 *   unchecked items left out). The standard sets no number for it, so it is
 *   tracked, not judged.
 *
 * Every KPI names where its target comes from (`source`) and, when that is an
 * item of the 6T catalogue (seed 000), the item ids (`cites`). An on-time rate's limits come
 * from the items and seed 002 sections in domain/stage-limit-sources.ts; where no seed sets a
 * stage's limit its source says so and gives the system's default.
 */
import { localDate, localTimeToInstant } from './calendar.ts';
import { entryScore, scoredActions } from './case-action.ts';
import { caseCitation } from './case-citation.ts';
import {
  clockIds,
  clockLabel,
  clockStatus,
  clockStatuses,
  type ClockId,
  type ClockStatus,
} from './case-clocks.ts';
import { complaintHandling } from './complaint-handling.ts';
import { etiquetteScore } from './etiquette-rating.ts';
import type { CaseView } from './case-model.ts';
import { stageLabels } from './stage-labels.ts';
import { stageLimitSources } from './stage-limit-sources.ts';
import type { TimedStage } from './sla.ts';
import { dimensionKeys, itemShortName, standards, type DimensionKey } from './standards/catalogue.ts';
import type { Bilingual } from './text.ts';

/** Stages whose deadlines bind staff and supervisors (follow-up waits on the reporter). */
export const onTimeStages = [
  'analysing',
  'awaiting_signoff',
  'adjudicating',
  'rectifying',
  'reviewing',
] as const satisfies readonly TimedStage[];
export type OnTimeStage = (typeof onTimeStages)[number];

/** A satisfied reporter gives 4 or 5 on the 1–5 scale the follow-up survey uses. */
export const SATISFIED_SCORE = 4;

export interface FollowUpRating {
  at: string;
  score: number;
}

/**
 * Every follow-up score a case received, oldest first: from its timeline, plus its
 * current follow-up (records written before the timeline carried scores).
 */
export function followUpRatings(v: Pick<CaseView, 'timeline' | 'followUp'>): FollowUpRating[] {
  const byAt = new Map<string, number>();
  for (const e of v.timeline) {
    if (e.action !== scoredActions.rated && e.action !== scoredActions.reopened) continue;
    const score = entryScore(e);
    if (score !== undefined) byAt.set(e.at, score);
  }
  const f = v.followUp;
  if (f && f.score !== undefined && f.outcome !== 'unrated' && !byAt.has(f.at)) byAt.set(f.at, f.score);
  return [...byAt].map(([at, score]) => ({ at, score })).sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

interface Ratio {
  num: number;
  den: number;
}

/** Mergeable counts behind every KPI. */
export interface KpiTally {
  cases: number;
  complaints: Ratio;
  validComplaints: number;
  /** Valid complaints per building id (only buildings with any). */
  validComplaintsByBuilding: Record<string, number>;
  onTime: Record<OnTimeStage, Ratio>;
  urgentRepairOnSite: Ratio;
  generalRepairOnSite: Ratio;
  smallRepairDone: Ratio;
  repairSatisfaction: Ratio;
  overallSatisfaction: Ratio;
  /** Absent in tallies stored before it was counted (read as none). */
  etiquetteSatisfaction?: Ratio | undefined;
  /**
   * Set where the etiquette count takes the survey's attitude score (domain/etiquette-rating.ts);
   * a stored tally without it was counted on cases about staff alone, so it is counted again.
   */
  etiquetteFromAttitude?: true | undefined;
  /** Cases citing a 6T item, per the item's dimension (absent in tallies stored before). */
  citedByDimension?: Partial<Record<DimensionKey, number>> | undefined;
  reopened: Ratio;
  /** Open-to-close durations of closed cases, in ms (kept whole so p90 survives merging). */
  closeDurationsMs: number[];
  /** Cases not yet closed or withdrawn: a tally with none can be stored as final. */
  open: number;
  /**
   * The case-level clocks by state (domain/case-clocks.ts), pauses excluded; absent in
   * tallies stored before clocks and in cohorts with none.
   */
  clocks?: Partial<Record<ClockId, ClockCount>> | undefined;
}

/** How many of one clock were met, breached, or are still running. */
export interface ClockCount {
  met: number;
  breached: number;
  pending: number;
}

const ratio = (): Ratio => ({ num: 0, den: 0 });

export function emptyTally(): KpiTally {
  return {
    cases: 0,
    complaints: ratio(),
    validComplaints: 0,
    validComplaintsByBuilding: {},
    onTime: {
      analysing: ratio(),
      awaiting_signoff: ratio(),
      adjudicating: ratio(),
      rectifying: ratio(),
      reviewing: ratio(),
    },
    urgentRepairOnSite: ratio(),
    generalRepairOnSite: ratio(),
    smallRepairDone: ratio(),
    repairSatisfaction: ratio(),
    overallSatisfaction: ratio(),
    etiquetteSatisfaction: ratio(),
    etiquetteFromAttitude: true,
    citedByDimension: {},
    reopened: ratio(),
    closeDurationsMs: [],
    open: 0,
  };
}

const count = (r: Ratio, ok: boolean) => {
  r.den += 1;
  if (ok) r.num += 1;
};

/** A case's clock by id at `nowMs`; undefined when the case does not run it (opened before clocks). */
const clockOf = (v: CaseView, id: ClockId, nowMs: number): ClockStatus | undefined => {
  const planned = v.clocks?.find((c) => c.id === id);
  return planned ? clockStatus(planned, v, nowMs) : undefined;
};

/**
 * Adds one case to a tally (mutates and returns it). Its clocks are judged at `nowMs`; without
 * it at the case's close, or (an open case) only by what already happened.
 */
export function addCase(t: KpiTally, v: CaseView, nowMs?: number): KpiTally {
  t.cases += 1;
  const clocksAt = nowMs ?? Date.parse(v.closedAt ?? v.openedAt);
  for (const c of clockStatuses(v, clocksAt)) {
    if (c.state === 'cancelled') continue;
    const by = (t.clocks ??= {});
    const n = (by[c.id] ??= { met: 0, breached: 0, pending: 0 });
    n[c.state] += 1;
  }
  const terminal = v.stage === 'closed' || v.stage === 'withdrawn';
  if (!terminal) t.open += 1;
  if (v.source === 'complaint') {
    const handling = complaintHandling(v, clocksAt);
    if (handling !== 'undecided') count(t.complaints, handling === 'handled');
    if (v.stage !== 'withdrawn') {
      t.validComplaints += 1;
      const b = v.location.buildingId;
      t.validComplaintsByBuilding[b] = (t.validComplaintsByBuilding[b] ?? 0) + 1;
    }
  }
  for (const d of v.deadlines) {
    if (
      d.state === 'pending' ||
      d.state === 'cancelled' ||
      !(onTimeStages as readonly string[]).includes(d.stage)
    )
      continue;
    count(t.onTime[d.stage as OnTimeStage], d.state === 'met');
  }
  if (v.source === 'repair') {
    // Arrival is the case's on-site clock (the analysing deadline is the root cause's, not the
    // arrival's: a repair nobody went to could meet it); cases opened before clocks existed are
    // judged by their first decided analysing deadline, as they always were.
    const onSiteRate = v.severity === 'routine' ? t.generalRepairOnSite : t.urgentRepairOnSite;
    const arrival = clockOf(v, 'on_site_arrival', clocksAt);
    if (arrival) {
      if (arrival.state === 'met' || arrival.state === 'breached') count(onSiteRate, arrival.state === 'met');
    } else {
      const firstOnSite = v.deadlines.find(
        (d) => d.stage === 'analysing' && d.state !== 'pending' && d.state !== 'cancelled',
      );
      if (firstOnSite) count(onSiteRate, firstOnSite.state === 'met');
    }
    // The case's own 24-hour clock, from the report to the rectification that passed its review;
    // cases opened before clocks existed are judged by their rectification deadlines.
    const clock = clockOf(v, 'small_repair_done', clocksAt);
    if (clock) {
      if (clock.state === 'met' || clock.state === 'breached')
        count(t.smallRepairDone, clock.state === 'met');
    } else {
      const fixes = v.deadlines.filter((d) => d.stage === 'rectifying');
      const breached = fixes.some((d) => d.state === 'breached');
      const allMet = fixes.length > 0 && fixes.every((d) => d.state === 'met');
      if (breached || allMet) count(t.smallRepairDone, !breached);
    }
  }
  const score = followUpRatings(v).at(-1)?.score;
  if (score !== undefined) {
    const satisfied = score >= SATISFIED_SCORE;
    count(t.overallSatisfaction, satisfied);
    if (v.source === 'repair') count(t.repairSatisfaction, satisfied);
  }
  const etiquette = etiquetteScore(v, score);
  if (etiquette !== undefined) count((t.etiquetteSatisfaction ??= ratio()), etiquette >= SATISFIED_SCORE);
  const cited = caseCitation(v);
  if (cited) {
    const by = (t.citedByDimension ??= {});
    by[cited.dimension] = (by[cited.dimension] ?? 0) + 1;
  }
  const reopened = v.timeline.some((e) => e.action === scoredActions.reopened);
  if (v.followUp || reopened) count(t.reopened, reopened);
  if (v.stage === 'closed' && v.closedAt) {
    t.closeDurationsMs.push(Date.parse(v.closedAt) - Date.parse(v.openedAt));
  }
  return t;
}

export function tallyCases(views: readonly CaseView[], nowMs?: number): KpiTally {
  return views.reduce((t, v) => addCase(t, v, nowMs), emptyTally());
}

const addRatio = (a: Ratio, b: Ratio | undefined): Ratio =>
  b ? { num: a.num + b.num, den: a.den + b.den } : a;

export function mergeTallies(tallies: readonly KpiTally[]): KpiTally {
  const out = emptyTally();
  for (const t of tallies) {
    out.cases += t.cases;
    out.open += t.open;
    out.validComplaints += t.validComplaints;
    for (const [b, n] of Object.entries(t.validComplaintsByBuilding))
      out.validComplaintsByBuilding[b] = (out.validComplaintsByBuilding[b] ?? 0) + n;
    out.complaints = addRatio(out.complaints, t.complaints);
    for (const s of onTimeStages) out.onTime[s] = addRatio(out.onTime[s], t.onTime[s]);
    out.urgentRepairOnSite = addRatio(out.urgentRepairOnSite, t.urgentRepairOnSite);
    out.generalRepairOnSite = addRatio(out.generalRepairOnSite, t.generalRepairOnSite);
    out.smallRepairDone = addRatio(out.smallRepairDone, t.smallRepairDone);
    out.repairSatisfaction = addRatio(out.repairSatisfaction, t.repairSatisfaction);
    out.overallSatisfaction = addRatio(out.overallSatisfaction, t.overallSatisfaction);
    out.etiquetteSatisfaction = addRatio(out.etiquetteSatisfaction ?? ratio(), t.etiquetteSatisfaction);
    if (!t.etiquetteFromAttitude) out.etiquetteFromAttitude = undefined;
    const by = (out.citedByDimension ??= {});
    for (const [d, n] of Object.entries(t.citedByDimension ?? {}) as [DimensionKey, number][])
      by[d] = (by[d] ?? 0) + n;
    out.reopened = addRatio(out.reopened, t.reopened);
    out.closeDurationsMs.push(...t.closeDurationsMs);
    for (const [id, n] of Object.entries(t.clocks ?? {}) as [ClockId, ClockCount][]) {
      const m = ((out.clocks ??= {})[id] ??= { met: 0, breached: 0, pending: 0 });
      m.met += n.met;
      m.breached += n.breached;
      m.pending += n.pending;
    }
  }
  return out;
}

/** One case-level clock over a cohort: its counts and the share met of those decided. */
export interface ClockKpi extends ClockCount {
  id: ClockId;
  label: { zh: string; en: string };
  /** met / (met + breached); null while none is decided. */
  value: number | null;
  target: 1;
}

/** The case-level clocks of a tally, in the catalogue's order (seeds 000, 002: every one is a commitment). */
export function clockKpis(t: KpiTally): ClockKpi[] {
  return clockIds
    .filter((id) => t.clocks?.[id])
    .map((id) => {
      const n = t.clocks?.[id] ?? { met: 0, breached: 0, pending: 0 };
      const decided = n.met + n.breached;
      return { id, label: clockLabel(id), ...n, value: decided ? round4(n.met / decided) : null, target: 1 };
    });
}

export type KpiId =
  | 'complaint_handling_rate'
  | `on_time_${OnTimeStage}`
  | 'urgent_repair_on_site_30min'
  | 'general_repair_on_site_2h'
  | 'small_repair_done_24h'
  | 'repair_satisfaction'
  | 'overall_satisfaction'
  | 'etiquette_satisfaction'
  | `inspection_pass_rate_${DimensionKey}`
  | 'valid_complaints_per_building_year'
  | 'average_time_to_close_hours'
  | 'p90_time_to_close_hours'
  | 'reopen_rate'
  // duty-kpi.ts
  | 'duty_completion_rate';

export interface KpiValue {
  id: KpiId;
  label: { zh: string; en: string };
  /** A shorter name for a chart's narrow label column, where the label's words are shared with others. */
  shortLabel?: { zh: string; en: string } | undefined;
  unit: 'ratio' | 'per_building_year' | 'hours';
  /** null where the standards state no target (tracked, not judged). */
  target: number | null;
  comparator: '>=' | '<=' | null;
  /** Where the target comes from. */
  source: string;
  /** The 6T items (seed 000) the target is written in; empty when it comes from elsewhere. */
  cites: string[];
  /** null when the period has nothing to measure. */
  value: number | null;
  numerator?: number | undefined;
  denominator?: number | undefined;
  /** null when there is no value or no target, or the period cannot decide it. */
  met: boolean | null;
  /** The period the value is counted over when it is not the one asked for, as instants [from, to). */
  period?: { from: string; to: string } | undefined;
}

/** Valid complaints per building over the calendar year to date: what the yearly limit is judged on. */
export interface ComplaintYear {
  /** Campus-local 1 January and the end of the count, as instants [from, to). */
  from: string;
  to: string;
  /** Counts per building id, for the buildings in scope (absent = none). */
  byBuilding: Readonly<Record<string, number>>;
}

export interface KpiContext {
  /** Buildings the figures cover (1 when filtered to one building). */
  buildings: number;
  /**
   * Length of the period in days. Without `complaintYear`, the yearly complaint limit is judged
   * on the period's own count only when the period is one whole year.
   */
  periodDays?: number | undefined;
  /** The calendar year to date of complaints; when given, the yearly limit is judged on it. */
  complaintYear?: ComplaintYear | undefined;
  /** Items passed and failed in the period's completed inspection rounds, per dimension. */
  inspections?: Partial<Record<DimensionKey, { passed: number; failed: number }>> | undefined;
}

/**
 * The calendar year (campus time) that the period ending at `to` ends in: local 1 January
 * 00:00 to `to`. A period ending exactly at a new year's midnight belongs to the year before.
 */
export function complaintYearBounds(to: string, tz: string): { from: string; to: string } {
  const lastDay = localDate(new Date(Date.parse(to) - 1).toISOString(), tz);
  return { from: localTimeToInstant(`${lastDay.slice(0, 4)}-01-01`, '00:00', tz), to };
}

/** Valid complaints per building the yearly limit allows (seed 000 检查评估 9). */
export const VALID_COMPLAINTS_PER_YEAR = 5;

function validComplaintsKpi(t: KpiTally, ctx: KpiContext): KpiValue {
  const year = ctx.complaintYear;
  const counts = Object.values(year ? year.byBuilding : t.validComplaintsByBuilding);
  const worst = ctx.buildings > 0 ? Math.max(0, ...counts) : null;
  const wholeYear = ctx.periodDays !== undefined && ctx.periodDays >= 365 && ctx.periodDays <= 366;
  return {
    id: 'valid_complaints_per_building_year',
    label: {
      zh: '单栋楼本年有效投诉数（取最多的楼栋）',
      en: 'Valid complaints per building this year (the building with most)',
    },
    unit: 'per_building_year',
    target: VALID_COMPLAINTS_PER_YEAR,
    comparator: '<=',
    source: 'seed 000 天天检查评估 9 整体情况: 有效投诉及意见≦5次/年, per building, calendar year to date',
    cites: ['6t.evaluation.9'],
    value: worst,
    numerator: counts.reduce((a, b) => a + b, 0),
    denominator: ctx.buildings,
    met: year || wholeYear ? judge(worst, VALID_COMPLAINTS_PER_YEAR, '<=') : null,
    period: year ? { from: year.from, to: year.to } : undefined,
  };
}

const HOUR_MS = 3_600_000;
const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

/** Nearest-rank percentile (p in 0..100) of a non-empty list. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

function judge(
  value: number | null,
  target: number | null,
  comparator: KpiValue['comparator'],
): boolean | null {
  if (value === null || target === null || comparator === null) return null;
  return comparator === '>=' ? value >= target - 1e-9 : value <= target + 1e-9;
}

function rateKpi(
  id: KpiId,
  label: KpiValue['label'],
  r: Ratio,
  target: number | null,
  comparator: KpiValue['comparator'],
  source: string,
  cites: string[] = [],
): KpiValue {
  const value = r.den === 0 ? null : round4(r.num / r.den);
  return {
    id,
    label,
    unit: 'ratio',
    target,
    comparator,
    source,
    cites,
    value,
    numerator: r.num,
    denominator: r.den,
    met: judge(value, target, comparator),
  };
}

/**
 * Where a target comes from when no 6T item states it (a KPI without `cites`), in both
 * languages. `source` stays the English text: the API and the weekly digests already stored
 * carry it, so pages turn it back into the reader's language through {@link kpiSourceText}.
 */
const uncitedSources = {
  tracked: { zh: '标准未规定目标，仅作跟踪', en: 'no target in the standards; tracked' },
} as const satisfies Record<string, Bilingual>;

// What earlier versions said of every stage deadline at once. It named only seed 002 for all five
// stages, though three of their limits are the system's own (domain/stage-limit-sources.ts).
const formerStageSource: Bilingual = {
  zh: '各环节时限：部分依据《学生公寓“6T”现场管理标准》《学校后勤管理与服务指南（标准版）》，其余为本系统默认时限；每个时限都是一项承诺',
  en: "Stage time limits: some from the 6T standard for student apartments and seed 002 学校后勤管理与服务指南, the rest the system's own defaults. Every deadline is a commitment.",
};

/** Sources earlier versions wrote (weekly reports keep their KPIs as computed then), read as today's. */
const formerSources: Record<string, Bilingual> = {
  'SLA catalogue (seeds 002, 004): every stage deadline is a commitment': formerStageSource,
  'Service time limits (from the School Logistics Management and Service Guide and related documents): every stage deadline is a commitment':
    formerStageSource,
};

const URGENT_ON_SITE_SOURCE =
  'seed 000 天天检查评估 6 零星维修: 急修需在半小时内到场 (规范管理 11: 30分钟内到场); counted by the on-site arrival clock';
const GENERAL_ON_SITE_SOURCE =
  'seed 000 天天检查评估 6 零星维修: 一般维修2小时到场; counted by the on-site arrival clock';
const REOPEN_SOURCE = 'derived from seed 000 天天检查评估 6: repair satisfaction ≥90%';

const onSiteNote: Bilingual = {
  zh: '按案件的到场时钟计：按时到场为达标、超时为未达标，未到期或已取消的不计；启用时钟前开启的案件按其首个分析期限计',
  en: 'counted by the case’s on-site arrival clock: met in time or breached, running or cancelled left out; cases opened before clocks by their first analysing deadline',
};

/**
 * What a KPI citing 6T items says besides the items, by its source: how its figure is counted, or
 * that its target is not in the items but derived from them. Sources of stored weekly reports
 * computed otherwise have none.
 */
const citedSourceNotes: Readonly<Record<string, Bilingual>> = {
  [URGENT_ON_SITE_SOURCE]: onSiteNote,
  [GENERAL_ON_SITE_SOURCE]: onSiteNote,
  [REOPEN_SOURCE]: {
    zh: '推算目标：标准未规定重开率，按维修满意率≥90%推算',
    en: 'derived target: the standards set no reopen rate; derived from repair satisfaction ≥ 90%',
  },
};

/** The note a cited KPI's source adds to its items (see {@link citedSourceNotes}), if any. */
export const kpiSourceNote = (source: string): Bilingual | undefined => citedSourceNotes[source];

/**
 * Where a KPI's target comes from, as a campus reader reads it: the 6T items it cites by their
 * dimension and number (《学生公寓“6T”现场管理标准》安全 1、安全 2) with what its source adds to
 * them (a derived target, how it is counted), else its source's words.
 */
export function kpiSourceLine(
  k: Pick<KpiValue, 'source'> & { cites?: readonly string[] | undefined },
): Bilingual {
  const cites = k.cites ?? [];
  if (cites.length === 0) return kpiSourceText(k.source);
  const named = cites.map(itemShortName);
  const note = kpiSourceNote(k.source);
  return {
    zh: `《学生公寓“6T”现场管理标准》${named.map((x) => x.zh).join('、')}${note ? `（${note.zh}）` : ''}`,
    en: `6T standard for student apartments: ${named.map((x) => x.en).join(', ')}${note ? ` (${note.en})` : ''}`,
  };
}

/** A KPI's `source` as a person reads it; a source this catalogue never wrote is shown as written. */
export function kpiSourceText(source: string): Bilingual {
  return (
    [...Object.values(uncitedSources), ...Object.values(stageLimitSources).map((s) => s.text)].find(
      (s) => s.en === source,
    ) ??
    formerSources[source] ?? { zh: source, en: source }
  );
}

/** Every KPI of the catalogue with its target, value and verdict. */
export function computeKpis(t: KpiTally, ctx: KpiContext): KpiValue[] {
  const out: KpiValue[] = [
    rateKpi(
      'complaint_handling_rate',
      { zh: '投诉建议处理率', en: 'Complaint and suggestion handling rate' },
      t.complaints,
      1,
      '>=',
      'seed 000 天天检查评估 2 问题处理: 学生投诉、意见建议的处理率100%; 检查评估 9: 及时处理率100%',
      ['6t.evaluation.2', '6t.evaluation.9'],
    ),
  ];
  for (const s of onTimeStages) {
    out.push(
      rateKpi(
        `on_time_${s}`,
        { zh: `${stageLabels[s].zh}按时完成率`, en: `On-time rate: ${stageLabels[s].en}` },
        t.onTime[s],
        1,
        '>=',
        stageLimitSources[s].text.en,
        stageLimitSources[s].cites,
      ),
    );
  }
  out.push(
    rateKpi(
      'urgent_repair_on_site_30min',
      { zh: '紧急维修30分钟内到场率', en: 'Urgent repairs on site within 30 minutes' },
      t.urgentRepairOnSite,
      1,
      '>=',
      URGENT_ON_SITE_SOURCE,
      ['6t.evaluation.6', '6t.management.11'],
    ),
    rateKpi(
      'general_repair_on_site_2h',
      { zh: '一般维修2小时内到场率', en: 'General repairs on site within 2 hours' },
      t.generalRepairOnSite,
      1,
      '>=',
      GENERAL_ON_SITE_SOURCE,
      ['6t.evaluation.6'],
    ),
    rateKpi(
      'small_repair_done_24h',
      { zh: '零星维修24小时内完成率', en: 'Small repairs done within 24 hours' },
      t.smallRepairDone,
      1,
      '>=',
      'seed 000 天天规范管理 11 日常维修: 零星维修24小时内完成',
      ['6t.management.11'],
    ),
    rateKpi(
      'repair_satisfaction',
      { zh: '维修满意率', en: 'Repair satisfaction' },
      t.repairSatisfaction,
      0.9,
      '>=',
      'seed 000 天天检查评估 6 零星维修: 学生对维修服务满意率达90%及以上',
      ['6t.evaluation.6'],
    ),
    rateKpi(
      'overall_satisfaction',
      { zh: '综合满意率', en: 'Overall satisfaction' },
      t.overallSatisfaction,
      0.85,
      '>=',
      'seed 000 天天检查评估 9 整体情况: 公寓服务综合测评满意度85%以上',
      ['6t.evaluation.9'],
    ),
    rateKpi(
      'etiquette_satisfaction',
      { zh: '服务礼仪满意率', en: 'Service-etiquette satisfaction' },
      t.etiquetteSatisfaction ?? ratio(),
      0.8,
      '>=',
      'seed 000 天天行为育人 7 服务礼仪: 学生满意率80%以上',
      ['6t.education.7'],
    ),
  );
  for (const dimension of dimensionKeys) {
    const dim = standards.dimensions.find((d) => d.key === dimension);
    const s = ctx.inspections?.[dimension];
    out.push({
      ...rateKpi(
        `inspection_pass_rate_${dimension}`,
        {
          zh: `检查合格率：${dim?.name.zh ?? dimension}`,
          en: `Inspection pass rate: ${dim?.name.en ?? dimension}`,
        },
        { num: s?.passed ?? 0, den: (s?.passed ?? 0) + (s?.failed ?? 0) },
        null,
        null,
        `seed 000 ${dim?.name.zh ?? dimension}: the dimension's items, checked in 日检、周查、月评 (seeds 002, 004); no number in the standard, tracked`,
        (dim?.items ?? []).map((i) => i.id),
      ),
      // Every dimension's name starts 天天 ("… every day"): by its short name the rows differ at once.
      shortLabel: {
        zh: `检查合格率：${dim?.short.zh ?? dimension}`,
        en: `Inspection pass rate: ${dim?.short.en ?? dimension}`,
      },
    });
  }
  out.push(validComplaintsKpi(t, ctx));
  const closes = t.closeDurationsMs;
  const avg = closes.length ? round4(closes.reduce((a, b) => a + b, 0) / closes.length / HOUR_MS) : null;
  const p90 = closes.length ? round4(percentile(closes, 90) / HOUR_MS) : null;
  out.push(
    {
      id: 'average_time_to_close_hours',
      label: { zh: '平均结案时长', en: 'Average time to close' },
      unit: 'hours',
      target: null,
      comparator: null,
      source: uncitedSources.tracked.en,
      cites: [],
      value: avg,
      denominator: closes.length,
      met: null,
    },
    {
      id: 'p90_time_to_close_hours',
      label: { zh: '90%案件结案时长', en: 'p90 time to close' },
      unit: 'hours',
      target: null,
      comparator: null,
      source: uncitedSources.tracked.en,
      cites: [],
      value: p90,
      denominator: closes.length,
      met: null,
    },
    // The seeds give no reopen target; at most the share repair satisfaction leaves unsatisfied.
    rateKpi(
      'reopen_rate',
      { zh: '回访不满意重开率', en: 'Reopen rate after follow-up' },
      t.reopened,
      0.1,
      '<=',
      REOPEN_SOURCE,
      ['6t.evaluation.6'],
    ),
  );
  return out;
}
