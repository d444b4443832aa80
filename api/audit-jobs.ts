import type { Client } from '@temporalio/client';
import { auditJobParamsSchema, type AuditJobParams } from '../audit/jobs.ts';
import {
  createAuditJob,
  AUDIT_JOB_ID_PATTERN,
  finishAuditJob,
  getAuditJob,
  JobLimitError,
  newAuditJobId,
  type AuditJob,
  type ResultStore,
} from '../store/audit-jobs.ts';
import { evidenceClient } from '../store/evidence.ts';
import { AUDIT_JOB_WORKFLOW, type AuditJobInput } from '../workflows/audit-job/messages.ts';
import type { AppDeps } from './deps.ts';
import { ProblemError } from './middleware/problems.ts';

/**
 * Starting and reading the long audit reads run as jobs, shared by the JSON
 * routes and the auditor's pages: a job row with a slot (bounded in total and
 * per person), then the `auditJob` workflow on the worker's task queue.
 */
export const auditJobWorkflowId = (jobId: string) => `audit-job-${jobId}`;

export function resultStoreOf(deps: AppDeps): ResultStore {
  return { client: evidenceClient(deps.env), bucket: deps.env.EVIDENCE_BUCKET };
}

export async function startAuditJobFor(
  deps: AppDeps & { temporal: Client },
  ownerId: string,
  params: AuditJobParams,
): Promise<AuditJob> {
  const { kind, ...rest } = auditJobParamsSchema.parse(params);
  const limits = { total: deps.env.AUDIT_JOBS_MAX_RUNNING, perPerson: deps.env.AUDIT_JOBS_MAX_PER_PERSON };
  let job: AuditJob;
  try {
    job = await createAuditJob(
      deps.aws,
      { jobId: newAuditJobId(), pool: deps.env.TEMPORAL_TASK_QUEUE, ownerId, kind, params: rest },
      limits,
    );
  } catch (err) {
    if (!(err instanceof JobLimitError)) throw err;
    throw new ProblemError(
      'too_many_requests',
      err.limit === 'person'
        ? {
            zh: `您已有 ${limits.perPerson} 个审计任务在进行，请等其中一个完成后再开始新的任务`,
            en: `you already have ${limits.perPerson} audit jobs running; start another when one has finished`,
          }
        : {
            zh: `当前已有 ${limits.total} 个审计任务在进行（全校上限），请稍后再试`,
            en: `${limits.total} audit jobs are running, the most the campus runs at once; try again shortly`,
          },
    );
  }
  try {
    await deps.temporal.workflow.start<(input: AuditJobInput) => Promise<void>>(AUDIT_JOB_WORKFLOW, {
      taskQueue: deps.env.TEMPORAL_TASK_QUEUE,
      workflowId: auditJobWorkflowId(job.jobId),
      args: [{ jobId: job.jobId }],
    });
  } catch (err) {
    // Nothing will run it: give the slot back rather than hold it forever.
    await finishAuditJob(deps.aws, job, { status: 'failed', error: 'the job could not be started' });
    throw err;
  }
  return job;
}

/** A person's own job; anyone else's is not found (a job id is not a secret worth guessing at). */
export async function ownAuditJob(deps: AppDeps, ownerId: string, jobId: string): Promise<AuditJob> {
  const job = AUDIT_JOB_ID_PATTERN.test(jobId) ? await getAuditJob(deps.aws, jobId) : null;
  if (!job || job.ownerId !== ownerId) {
    throw new ProblemError('not_found', {
      zh: `没有您的审计任务 ${jobId}`,
      en: `you have no audit job ${jobId}`,
    });
  }
  return job;
}
