import { openStages, type CaseView, type Stage } from '../../../domain/case-model.ts';
import type { Lang } from '../../../domain/text.ts';
import type { Caller } from '../../auth.ts';
import { listCasesUpTo, type CaseListQuery } from '../../case-service.ts';
import type { AppDeps } from '../../deps.ts';

/**
 * The open cases the workbench sorts and counts, through the API's own list and read rules.
 * No index orders open cases by due time, so each open stage is read whole: a stage's newest
 * cases alone would leave out its oldest, whose deadlines are often the nearest.
 */

/**
 * At most this many cases of one open stage, and as many overdue ones, are read per request: far
 * above a campus's open cases in a term, it bounds a page's reads. A stage that holds more is
 * named as cut, so the page can say so instead of showing a count that is short.
 */
export const STAGE_MAX = 2000;

export interface OpenCases {
  items: CaseView[];
  /** Open stages holding more than STAGE_MAX readable cases: some of their not-overdue cases are missing. */
  cutStages: Stage[];
  /** More than STAGE_MAX overdue cases: some overdue ones are missing too. */
  overdueCut: boolean;
}

/** Every case of one list query, up to STAGE_MAX; `cut` when more remain. */
async function readAll(
  deps: AppDeps,
  viewer: Caller,
  query: Pick<CaseListQuery, 'stage' | 'overdue'>,
  lang: Lang,
): Promise<{ items: CaseView[]; cut: boolean }> {
  const { items, more } = await listCasesUpTo(deps, viewer, query, lang, { most: STAGE_MAX });
  return { items, cut: more };
}

/**
 * Every open case this person may read. Overdue ones are read on their own as well, longest
 * overdue first: should a stage ever be cut, its most urgent cases are still all here.
 */
export async function readOpenCases(deps: AppDeps, viewer: Caller, lang: Lang): Promise<OpenCases> {
  const [overdue, perStage] = await Promise.all([
    readAll(deps, viewer, { overdue: 'true' }, lang),
    Promise.all(openStages.map((stage) => readAll(deps, viewer, { stage }, lang))),
  ]);
  const byId = new Map<string, CaseView>();
  // The reads run side by side: a case seen by two of them (it moved on between) is taken as last written.
  for (const v of [...overdue.items, ...perStage.flatMap((p) => p.items)]) {
    const seen = byId.get(v.caseId);
    if (!seen || v.version > seen.version) byId.set(v.caseId, v);
  }
  return {
    items: [...byId.values()].filter((v) => openStages.includes(v.stage)),
    cutStages: openStages.filter((_, i) => perStage[i]?.cut === true),
    overdueCut: overdue.cut,
  };
}
