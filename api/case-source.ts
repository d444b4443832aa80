import { WorkflowNotFoundError } from '@temporalio/client';
import { getCaseRecord } from '../store/case-records.ts';
import { loadDirectory } from '../store/directory.ts';
import { isTerminal, type CaseView } from '../domain/case-model.ts';
import { buildPolicy } from '../domain/case-policy.ts';
import type { CasePolicy } from '../domain/case-model.ts';
import type { Directory } from '../domain/directory.ts';
import { caseViewQuery } from '../workflows/rectification-case/messages.ts';
import type { AppDeps } from './deps.ts';
import { ProblemError } from './problems.ts';

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
 * The policy to pre-check steps with: the case's building supervisors as the
 * directory has them now. The workflow checks again against the policy it
 * pinned when it opened, and its answer is the one that counts.
 */
export function precheckPolicy(deps: AppDeps, dir: Directory, view: CaseView): CasePolicy {
  return buildPolicy(dir, view, { timeZone: deps.env.CAMPUS_TZ });
}
