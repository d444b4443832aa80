import { addWeeks, departmentOf, isoWeekOf } from '../../../domain/digest.ts';
import type { CaseView } from '../../../domain/case-model.ts';
import type { Directory } from '../../../domain/directory.ts';
import { caseHandledMarks, type HandledMark } from '../../../store/digests.ts';
import type { AppDeps } from '../../deps.ts';

/** The most recent weeks of a case whose department marks its page reads (one read each). */
const MAX_WEEKS = 12;

/**
 * The weekly follow-ups the department of the case's room marked handled (seed 000 反馈 2), for the
 * case page: read from the weekly feedback's store, so the case's own workflow is left as it is.
 */
export async function caseFollowUps(
  deps: AppDeps,
  dir: Directory,
  view: CaseView,
  now: Date,
): Promise<(HandledMark & { week: string; department: Directory['departments'][number]['name'] })[]> {
  const dept = departmentOf(dir.departments, view.location);
  if (!dept) return [];
  const tz = deps.env.CAMPUS_TZ;
  const last = isoWeekOf(view.closedAt ?? view.withdrawal?.at ?? now.toISOString(), tz);
  const first = isoWeekOf(view.openedAt, tz);
  const weeks: string[] = [];
  for (let w = last; weeks.length < MAX_WEEKS; w = addWeeks(w, -1)) {
    weeks.push(w);
    if (w <= first) break;
  }
  const marks = await caseHandledMarks(
    { ddb: deps.aws.ddb, tables: deps.aws.tables },
    { caseId: view.caseId, departmentId: dept.id, weeks },
  );
  return marks.sort((a, b) => a.week.localeCompare(b.week)).map((m) => ({ ...m, department: dept.name }));
}
