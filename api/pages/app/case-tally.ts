import type { CaseView } from '../../../domain/case-model.ts';
import type { Lang } from '../../../domain/text.ts';
import type { Caller } from '../../auth.ts';
import { listCasesUpTo, type CaseListQuery } from '../../case-service.ts';
import type { AppDeps } from '../../deps.ts';

/**
 * How many cases a list's filters match, for the line above the list. Counted by reading the
 * list itself, newest first, through the same read rules and code filters as its pages (a
 * DynamoDB COUNT could say neither a supervisor's nor a grid member's scope, nor a title
 * search), so the number can never disagree with the pages. Past TALLY_CAP, or when the reads
 * allowed are spent on cases a filter leaves out, it says only "at least".
 */
export const TALLY_CAP = 1000;
/** List reads (each a few index round trips) one tally may spend. */
const MAX_READS = 20;

export interface CaseTally {
  /** The matching cases counted: all of them unless `more`. */
  total: number;
  /** There are more than `total`: the cap or the read budget stopped the count. */
  more: boolean;
  /** Where a case stands in the newest-first list, from 0, if it was among those counted. */
  rank: (caseId: string) => number | undefined;
}

export async function tallyCases(
  deps: AppDeps,
  caller: Caller,
  q: CaseListQuery,
  lang: Lang,
  narrow: ((view: CaseView) => boolean) | undefined,
  cap = TALLY_CAP,
): Promise<CaseTally> {
  // One past the cap: a cursor alone may promise a page that turns out empty.
  const read = await listCasesUpTo(deps, caller, q, lang, { most: cap + 1, maxReads: MAX_READS, narrow });
  const ids = read.items.map((v) => v.caseId);
  const counted = ids.slice(0, cap);
  const at = new Map(counted.map((id, n) => [id, n]));
  return {
    total: counted.length,
    more: ids.length > cap || read.more,
    rank: (caseId) => at.get(caseId),
  };
}
