import { WorkflowNotFoundError } from '@temporalio/client';
import { getCaseRecord } from '../store/case-records.ts';
import { getDigest, listDigests, weekMarks, type StoredDigest } from '../store/digests.ts';
import { loadDirectory } from '../store/directory.ts';
import { isTerminal, type CaseView } from '../domain/case-model.ts';
import { withBuildingLabels, type AreaSummary, type DepartmentDigest } from '../domain/digest.ts';
import { marksForSummary, type MarkedSummary } from '../domain/weekly-marks.ts';
import type { Directory } from '../domain/directory.ts';
import { caseViewQuery, pinnedSupervisorsQuery } from '../workflows/rectification-case/messages.ts';
import type { AppDeps } from './deps.ts';
import { ProblemError } from './middleware/problems.ts';
import { quoted } from '../domain/safe-text.ts';

/** The reads several routes share: a case as it is now, the directory, a stored weekly summary. */
export interface CaseRead {
  view: CaseView;
  /** `workflow`: the running workflow's own query; `record`: the stored record (the case is over). */
  source: 'workflow' | 'record';
}

/**
 * A case as it is now, without changing anything: the stored record when the
 * case is over (its workflow may be gone), else the running workflow's query,
 * falling back to the record if the workflow has disappeared.
 */
export async function readCase(deps: AppDeps, caseId: string): Promise<CaseRead> {
  const record = await getCaseRecord(deps.aws.ddb, deps.aws.tables, caseId);
  if (record && isTerminal(record.stage)) return { view: record, source: 'record' };
  try {
    const view = await deps.temporal.workflow.getHandle(caseId).query(caseViewQuery);
    return { view, source: 'workflow' };
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
    if (record) return { view: record, source: 'record' };
    throw new ProblemError('not_found', { zh: `案件 ${caseId} 不存在`, en: `there is no case ${caseId}` });
  }
}

/** The campus directory, or 503: without one nobody can be authorised. */
export async function directoryOrFail(deps: AppDeps): Promise<Directory> {
  const dir = await loadDirectory(deps.aws.ddb, deps.aws.tables);
  if (!dir)
    throw new ProblemError('unavailable', {
      zh: '尚未加载校园名录（管理员须先导入）',
      en: 'no campus directory is loaded yet (an admin must load one)',
    });
  return dir;
}

/**
 * The directory as it applies to one case: the directory now, except that a building left with no
 * supervisor keeps the supervisors pinned when the case opened (those still in the directory), so
 * its open cases stay in someone's hands. Reading, the forms a page offers and the steps all
 * take their rule from it; the case is asked only when its building has nobody.
 */
export async function directoryForCase(deps: AppDeps, dir: Directory, view: CaseView): Promise<Directory> {
  const building = dir.buildings.find((b) => b.id === view.location.buildingId);
  if (!building || building.supervisorIds.length > 0 || isTerminal(view.stage)) return dir;
  let pinned: string[];
  try {
    pinned = await deps.temporal.workflow.getHandle(view.caseId).query(pinnedSupervisorsQuery);
  } catch {
    // A workflow that cannot answer (gone, or from before the query) leaves the building as it is.
    return dir;
  }
  const present = pinned.filter((id) =>
    dir.people.some((p) => p.id === id && p.roles.includes('supervisor')),
  );
  if (present.length === 0) return dir;
  return {
    ...dir,
    buildings: dir.buildings.map((b) => (b === building ? { ...b, supervisorIds: present } : b)),
  };
}

/** 404 for a building the directory doesn't know. */
export function assertBuilding(dir: Directory, id: string | undefined): void {
  if (id !== undefined && !dir.buildings.some((b) => b.id === id)) {
    throw new ProblemError('not_found', {
      zh: `没有楼栋 ${quoted(id)}（现有：${dir.buildings.map((b) => b.id).join('、')}）`,
      en: `there is no building ${quoted(id)} (known: ${dir.buildings.map((b) => b.id).join(', ')})`,
    });
  }
}

/**
 * The stored summary of a week (a building's, or the campus's): what every view of a report reads,
 * with what its people have done since it was sent (acknowledgements, follow-ups handled).
 */
export async function loadWeeklySummary(
  deps: AppDeps,
  scope: { week: string; buildingId?: string | undefined },
): Promise<MarkedSummary> {
  const store = { ddb: deps.aws.ddb, tables: deps.aws.tables };
  const { week, buildingId: id } = scope;
  const stored: StoredDigest<AreaSummary> | null = id
    ? await getDigest<AreaSummary>(store, week, 'building', id)
    : await getDigest<AreaSummary>(store, week, 'working_group', 'campus');
  if (!stored) {
    throw new ProblemError('not_found', {
      zh: `尚无 ${week} 周${id ? `楼栋 ${id} ` : '全校'}的周报：每周反馈在每周一 08:00 生成上一周的周报；请换一周或等待本周运行`,
      en: `no weekly summary for ${week}${id ? ` of building ${id}` : ' (campus)'}: the weekly feedback builds last week's summaries every Monday at 08:00; try another week or wait for the run`,
    });
  }
  const [marks, departments] = await Promise.all([
    weekMarks(store, week),
    listDigests<DepartmentDigest>(store, week, 'department'),
  ]);
  return {
    ...withBuildingLabels(stored.digest),
    feedback: marksForSummary(stored.digest, departments, marks),
  };
}
