import type { Client } from '@temporalio/client';
import { AUDIT_JOB_ID_PATTERN, getAuditJob, type AuditJob, type AuditJobDeps } from '../store/audit-jobs.ts';
import { AUDIT_JOB_WORKFLOW } from '../workflows/audit-job/messages.ts';

/** How many of a person's jobs the audit page lists, newest first. */
export const OWN_JOBS_SHOWN = 10;
/** How many of the deployment's recent jobs are looked at to find them (everyone's, newest first). */
const JOBS_LOOKED_AT = 200;
const READ_AT_ONCE = 20;
const WORKFLOW_ID_PREFIX = 'audit-job-';

/**
 * A person's recent audit jobs, newest first, so a job can be found again without its URL. The
 * job rows are keyed by job id alone (no index by person, and nothing here scans a table), so
 * the ids come from Temporal's list of this deployment's audit-job workflows, newest first, and
 * each row is read by its key; older jobs than Temporal keeps are not listed. Null when Temporal
 * cannot list them now (the page says so rather than failing).
 */
export async function recentOwnAuditJobs(
  deps: { temporal: Client; aws: AuditJobDeps; taskQueue: string },
  ownerId: string,
): Promise<AuditJob[] | null> {
  const ids: string[] = [];
  try {
    const queue = deps.taskQueue.replace(/'/g, '');
    const query = `WorkflowType = '${AUDIT_JOB_WORKFLOW}' AND TaskQueue = '${queue}'`;
    for await (const wf of deps.temporal.workflow.list({ query })) {
      const id = wf.workflowId.startsWith(WORKFLOW_ID_PREFIX)
        ? wf.workflowId.slice(WORKFLOW_ID_PREFIX.length)
        : '';
      if (AUDIT_JOB_ID_PATTERN.test(id)) ids.push(id);
      if (ids.length >= JOBS_LOOKED_AT) break;
    }
  } catch (err) {
    console.warn(`[audit jobs] could not list the recent jobs: ${String(err)}`);
    return null;
  }
  const own: AuditJob[] = [];
  for (let i = 0; i < ids.length && own.length < OWN_JOBS_SHOWN; i += READ_AT_ONCE) {
    const rows = await Promise.all(ids.slice(i, i + READ_AT_ONCE).map((id) => getAuditJob(deps.aws, id)));
    for (const job of rows) if (job && job.ownerId === ownerId) own.push(job);
  }
  return own
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0))
    .slice(0, OWN_JOBS_SHOWN);
}
