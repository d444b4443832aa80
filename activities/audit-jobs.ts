import { ApplicationFailure, Context } from '@temporalio/activity';
import { anchorRuns } from '../audit/anchor-runs.ts';
import { auditJobParamsSchema, jobOutput } from '../audit/jobs.ts';
import {
  finishAuditJob,
  getAuditJob,
  reportAuditJobProgress,
  resultKey,
  startAuditJob,
  writeResult,
  type ResultStore,
} from '../store/audit-jobs.ts';
import type { AwsDeps } from '../store/clients.ts';
import { heartbeat } from './heartbeat.ts';

export interface AuditJobActivityDeps extends AwsDeps {
  /** Where results go; a worker without one fails each job at once with that reason. */
  resultStore?: ResultStore | undefined;
  /** The campus time zone (CAMPUS_TZ): an export's CSV gives each entry's time on its clock too. */
  timeZone?: string | undefined;
}

/** Failure types a job ends with at once: retrying cannot change them. */
export const AuditJobFailure = {
  Missing: 'AuditJobMissing',
  NoResultStore: 'AuditJobNoResultStore',
  BadParams: 'AuditJobBadParams',
  NothingToExport: 'AuditJobNothingToExport',
} as const;

// How often a running job writes its progress to its row (each heartbeat would be a write).
const PROGRESS_EVERY_MS = 1000;

/** The audit job workflow's activities: run the read into the object store, or record why it failed. */
export function createAuditJobActivities(deps: AuditJobActivityDeps) {
  return {
    async runAuditJob(input: { jobId: string }): Promise<{ bytes: number }> {
      const job = await getAuditJob(deps, input.jobId);
      if (!job) throw ApplicationFailure.nonRetryable(`no audit job ${input.jobId}`, AuditJobFailure.Missing);
      if (job.status === 'done' || job.status === 'failed') return { bytes: job.result?.bytes ?? 0 };
      const store = deps.resultStore;
      if (!store) {
        throw ApplicationFailure.nonRetryable(
          'this worker has no object store for job results',
          AuditJobFailure.NoResultStore,
        );
      }
      const params = auditJobParamsSchema.safeParse({ ...job.params, kind: job.kind });
      if (!params.success) {
        throw ApplicationFailure.nonRetryable(
          `the job's parameters do not parse: ${params.error.message}`,
          AuditJobFailure.BadParams,
        );
      }
      await startAuditJob(deps, job.jobId);
      let latest = { done: 0, total: null as number | null };
      let written = Date.now();
      let pending: Promise<void> = Promise.resolve();
      const out = await jobOutput(
        deps,
        params.data,
        (p) => {
          latest = p;
          heartbeat(p);
          if (Date.now() - written < PROGRESS_EVERY_MS) return;
          written = Date.now();
          pending = pending.then(() => reportAuditJobProgress(deps, job.jobId, p)).catch(() => undefined);
        },
        undefined,
        // The verify job checks recent anchor rows against their runs, as the streamed verify does.
        anchorRuns(Context.current().client),
        // The cited files are in the same bucket the results go to: each is read back and re-hashed.
        { aws: deps, store },
      );
      if (!out) {
        throw ApplicationFailure.nonRetryable(
          'there is no record or audit trail to export',
          AuditJobFailure.NothingToExport,
        );
      }
      const ext = out.fileName.slice(out.fileName.lastIndexOf('.') + 1);
      const key = resultKey(job.jobId, ext);
      const bytes = await writeResult(store, key, out.contentType, out.pieces);
      await pending;
      await finishAuditJob(deps, job, {
        status: 'done',
        result: { key, contentType: out.contentType, fileName: out.fileName, bytes },
        summary: out.summary(),
        progress: latest.total === null ? { done: latest.done, total: latest.done } : latest,
      });
      return { bytes };
    },
    async failAuditJob(input: { jobId: string; error: string }): Promise<void> {
      const job = await getAuditJob(deps, input.jobId);
      if (job) await finishAuditJob(deps, job, { status: 'failed', error: input.error });
    },
  };
}

export type AuditJobActivities = ReturnType<typeof createAuditJobActivities>;
