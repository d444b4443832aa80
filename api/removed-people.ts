import type { CaseView } from '../domain/case-model.ts';
import { listCases } from '../store/case-lists.ts';
import { currentSnapshot } from '../store/directory.ts';
import { openCaseViewsOf } from '../store/party-open-cases.ts';
import type { AppDeps } from './deps.ts';

export interface RemovedPerson {
  personId: string;
  openCases: {
    caseId: string;
    title: string;
    stage: string;
    assigneeId: string;
    responsibleId: string | null;
  }[];
}

// Bounds the read of a building's cases awaiting its supervisor, should there be very many.
const OPEN_CASES_READ = 500;

/**
 * The people the current directory snapshot removed, and those it left without a role that acts
 * on cases (`demoted`: staff made auditor), each with the open cases they are assigned to or
 * responsible for: what an admin must reassign. The JSON route and the admin page both ask here.
 */
export async function removedWithOpenCases(deps: Pick<AppDeps, 'aws'>): Promise<{
  version: number | null;
  at: string | null;
  removed: RemovedPerson[];
  demoted: RemovedPerson[];
}> {
  const { ddb, tables } = deps.aws;
  const snapshot = await currentSnapshot(ddb, tables);
  const withCases = async (ids: readonly string[]) => {
    const out: RemovedPerson[] = [];
    for (const personId of ids) out.push({ personId, openCases: await openCasesOf(deps, personId) });
    return out;
  };
  return {
    version: snapshot?.version ?? null,
    at: snapshot?.at ?? null,
    removed: await withCases(snapshot?.removedPeople ?? []),
    demoted: await withCases(snapshot?.demotedPeople ?? []),
  };
}

// The stages that wait for a supervisor of the place (checkStep: review, adjudication).
const SUPERVISOR_STAGES = ['reviewing', 'adjudicating'] as const;

/** What a list of cases to reassign shows of one. */
const openCaseOf = (v: CaseView): RemovedPerson['openCases'][number] => ({
  caseId: v.caseId,
  title: v.title,
  stage: v.stage,
  assigneeId: v.assigneeId,
  responsibleId: v.responsibleId ?? null,
});

/** The open cases at a building that wait for its supervisor's review or adjudication. */
export async function awaitingSupervisorAt(
  deps: Pick<AppDeps, 'aws'>,
  buildingId: string,
): Promise<RemovedPerson['openCases']> {
  const { ddb, tables } = deps.aws;
  const out: RemovedPerson['openCases'] = [];
  for (const stage of SUPERVISOR_STAGES) {
    let cursor: string | undefined;
    let read = 0;
    do {
      const page = await listCases(ddb, tables, { filters: { buildingId, stage }, limit: 100, cursor });
      for (const v of page.items) out.push(openCaseOf(v));
      read += page.items.length;
      cursor = page.nextCursor ?? undefined;
    } while (cursor && read < OPEN_CASES_READ);
  }
  return out;
}

/** The open cases a person is assigned to or responsible for (the import preview counts them before a removal). */
export async function openCasesOf(
  deps: Pick<AppDeps, 'aws'>,
  personId: string,
): Promise<RemovedPerson['openCases']> {
  return (await openCaseViewsOf(deps.aws.ddb, deps.aws.tables, personId)).map(openCaseOf);
}
