import type { CaseView } from '../../../domain/case-model.ts';
import { reportKindInfo, type ReportKind } from '../../../domain/intake.ts';
import { isTerminal } from '../../../domain/case-model.ts';
import type { Report } from '../../../store/reports.ts';

/** How many likely duplicates a report's card offers to merge into. */
export const DUPLICATES_OFFERED = 20;

/**
 * Whether a case is one a report likely repeats: open, at the report's place (its building, and
 * its floor and room where the report names them) and of the category the report's kind opens.
 */
export function isLikelyDuplicate(report: Pick<Report, 'kind' | 'location'>, v: CaseView): boolean {
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

/**
 * The likely duplicates of a report among open cases read once for the whole page (openCasesIn),
 * in their order (newest first), at most DUPLICATES_OFFERED.
 */
export function likelyDuplicates(
  open: readonly CaseView[],
  report: Pick<Report, 'kind' | 'location'>,
  limit: number = DUPLICATES_OFFERED,
): CaseView[] {
  const found: CaseView[] = [];
  for (const v of open) {
    if (found.length === limit) break;
    if (isLikelyDuplicate(report, v)) found.push(v);
  }
  return found;
}
