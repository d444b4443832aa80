import type { Duration } from '../../domain/calendar.ts';
import { reportKindInfo, reportKinds, type ReportKind } from '../../domain/intake.ts';
import type { KpiValue } from '../../domain/kpi.ts';
import {
  resolveSla,
  severities,
  type Severity,
  type SlaCatalogue,
  type SlaRule,
  type Source,
} from '../../domain/sla.ts';
import { inLang, type Bilingual, type Lang } from '../../domain/text.ts';

/**
 * What the public commitments page (服务承诺公示, seed 003) says of the SLA catalogue, apart from
 * its markup: which rules are promises to the person reporting from a wall code, how their stages
 * read to a student, and which are the staff's own time limits.
 */

/** The severities that put a report of a kind under one rule (routine and urgent may share one). */
export interface PromiseRow {
  severities: Severity[];
  rule: SlaRule;
}

/** The report kinds that are handled alike at every severity, and what they are promised. */
export interface PromiseGroup {
  kinds: ReportKind[];
  /** Who acts on these reports: the words their stages are said in. */
  source: Source;
  rows: PromiseRow[];
}

/** The rule each severity triage may give puts a report of this kind under, like severities merged. */
function rowsOf(kind: ReportKind, catalogue: SlaCatalogue): PromiseRow[] {
  const { source, category } = reportKindInfo[kind];
  const rows: PromiseRow[] = [];
  for (const severity of severities) {
    const rule = resolveSla({ source, severity, category }, catalogue).rule;
    const last = rows.at(-1);
    if (last?.rule === rule) last.severities.push(severity);
    else rows.push({ severities: [severity], rule });
  }
  return rows;
}

/**
 * The catalogue as the page shows it: one group per set of report kinds handled alike (in the
 * report form's order), then the rules no report is handled under (inspections, evaluations: the
 * staff's own), in the catalogue's order, leaving out the fallback, which promises nothing of its own.
 */
export function splitPromises(catalogue: SlaCatalogue): { groups: PromiseGroup[]; internal: SlaRule[] } {
  const groups: PromiseGroup[] = [];
  const keys: string[] = [];
  for (const kind of reportKinds) {
    const rows = rowsOf(kind, catalogue);
    const key = JSON.stringify(rows.map((r) => [r.severities, r.rule.id]));
    const at = keys.indexOf(key);
    const same = groups[at];
    if (same) same.kinds.push(kind);
    else {
      keys.push(key);
      groups.push({ kinds: [kind], source: reportKindInfo[kind].source, rows });
    }
  }
  const promised = new Set(groups.flatMap((g) => g.rows.map((r) => r.rule)));
  return { groups, internal: catalogue.rules.filter((r) => r.id !== 'fallback' && !promised.has(r)) };
}

/** A group's heading: what one reports ("报修", "服务、意见建议"). */
export function groupHeading(g: PromiseGroup): Bilingual {
  const kinds = g.kinds.map((k) => reportKindInfo[k].label);
  return { zh: kinds.map((k) => k.zh).join('、'), en: kinds.map((k) => k.en).join(', ') };
}

/** The two stages a reporter waits on: someone acting on it, and it being done. */
export const promisedStages = ['analysing', 'rectifying'] as const;
export type PromisedStage = (typeof promisedStages)[number];

/**
 * The stages in the reporter's words, by who acts: a repair's first stage is someone getting there
 * and its end the thing fixed; a complaint is answered; anything else is responded to and dealt
 * with. The staff's stage names (原因分析, 整改) say what the staff do, not what the reporter sees.
 */
const reporterWords: Record<'repair' | 'complaint' | 'other', Record<PromisedStage, Bilingual>> = {
  repair: { analysing: { zh: '到场', en: 'On site' }, rectifying: { zh: '修好', en: 'Fixed' } },
  complaint: {
    analysing: { zh: '响应', en: 'Response' },
    rectifying: { zh: '处理并答复', en: 'Handled and answered' },
  },
  other: { analysing: { zh: '响应', en: 'Response' }, rectifying: { zh: '处理完成', en: 'Done' } },
};

export function promiseStageLabel(source: Source, stage: PromisedStage): Bilingual {
  const by = source === 'repair' || source === 'complaint' ? source : 'other';
  return reporterWords[by][stage];
}

/** A time limit as a sentence says it: "30分钟", "2 working days", "当日下班前". */
export function durationText(d: Duration, lang: Lang): string {
  // The seed's "before the end of the working day" (working_days 0), not "0 working days".
  if (d.unit === 'working_days' && d.amount === 0)
    return inLang({ zh: '当日下班前', en: 'by the end of the working day' }, lang);
  const units: Record<Duration['unit'], Bilingual> = {
    minutes: { zh: '分钟', en: 'min' },
    hours: { zh: '小时', en: 'h' },
    days: { zh: '天', en: 'days' },
    working_days: { zh: '个工作日', en: 'working days' },
  };
  return `${d.amount}${lang === 'en' ? ' ' : ''}${inLang(units[d.unit], lang)}`;
}

/**
 * A figure as one building's page names it: the yearly complaint count is that building's own, not
 * "the building with the most" the campus-wide figure picks.
 */
export function kpiLabelFor(k: KpiValue, oneBuilding: boolean): Bilingual {
  if (oneBuilding && k.id === 'valid_complaints_per_building_year')
    return { zh: '本楼本年有效投诉数', en: 'Valid complaints about this building this year' };
  return k.label;
}

/**
 * The figures' sources as numbered notes under the table: each distinct source once, numbered in
 * the order the rows first cite it, so long citations do not crowd a phone-width table.
 */
export function sourceNotes<T>(rows: readonly T[], sourceOf: (row: T) => Bilingual, lang: Lang) {
  const notes: string[] = [];
  const noteOf = rows.map((row) => {
    const text = inLang(sourceOf(row), lang);
    const at = notes.indexOf(text);
    if (at >= 0) return at + 1;
    notes.push(text);
    return notes.length;
  });
  return { notes, noteOf };
}
