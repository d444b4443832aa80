import type { CaseView } from '../../../domain/case-model.ts';
import { reportKindInfo, type ReportKind } from '../../../domain/intake.ts';
import { isTerminal } from '../../../domain/case-model.ts';
import { sameProblem } from '../../../domain/problem-similarity.ts';
import { PHOTO_LINE } from './new-case-photos.ts';
import type { Report } from '../../../store/reports.ts';

/** How many likely duplicates a report's card offers to merge into, and how many other open cases. */
export const DUPLICATES_OFFERED = 20;

/** How a case opened from a report names it on its description's second line. */
export const SCANNED_LINE = '扫码报告 / Scanned report';

type ReportFacts = Pick<Report, 'kind' | 'location' | 'description'>;

/**
 * Whether a report may merge into a case (the rule, which the merge itself checks): open,
 * at the report's place (its building, and its floor and room where the report names them) and
 * of the category the report's kind opens.
 */
export function isMergeTarget(report: Pick<Report, 'kind' | 'location'>, v: CaseView): boolean {
  const info = reportKindInfo[report.kind as ReportKind];
  const r = report.location;
  return (
    !isTerminal(v.stage) &&
    v.location.buildingId === r.buildingId &&
    (v.category ?? v.source) === info.category &&
    (!r.roomId || v.location.roomId === r.roomId) &&
    (!r.floorId || v.location.floorId === r.floorId)
  );
}

/** A case's own words about its problem: its title and description, without the lines triage adds (the report's number, its photos). */
const caseText = (v: CaseView) =>
  [
    v.title,
    ...v.description
      .split('\n')
      .filter((line) => !line.startsWith(PHOTO_LINE) && !line.startsWith(SCANNED_LINE)),
  ].join('\n');

/**
 * Whether a case is one the report likely repeats: a case it may merge into whose title or
 * description says the same problem in the same words. The room and the kind alone are not
 * enough: a dripping tap and a broken lock in one room are both repairs there.
 */
export const isLikelyDuplicate = (report: ReportFacts, v: CaseView): boolean =>
  isMergeTarget(report, v) && sameProblem(report.description, caseText(v));

export interface MergeTargets {
  /** Open cases that plausibly are the report's problem. */
  likely: CaseView[];
  /** The other open cases at its place and of its kind, which it may merge into all the same. */
  others: CaseView[];
}

/**
 * The cases a report's card offers to merge into, among open cases read once for the whole page
 * (openCasesIn), in their order (newest first): the likely duplicates and the other open cases
 * there, at most `limit` of each.
 */
export function mergeTargets(
  open: readonly CaseView[],
  report: ReportFacts,
  limit: number = DUPLICATES_OFFERED,
): MergeTargets {
  const likely: CaseView[] = [];
  const others: CaseView[] = [];
  for (const v of open) {
    if (likely.length === limit && others.length === limit) break;
    if (!isMergeTarget(report, v)) continue;
    const into = sameProblem(report.description, caseText(v)) ? likely : others;
    if (into.length < limit) into.push(v);
  }
  return { likely, others };
}
