import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { AuditJobActivities } from '../../activities/audit-jobs.ts';
import type { AuditJobInput } from './messages.ts';

// A full verification or a year's export reads every case: long, so it heartbeats.
const long = proxyActivities<AuditJobActivities>({
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '2 minutes',
  retry: {
    initialInterval: '5 seconds',
    maximumInterval: '1 minute',
    backoffCoefficient: 2,
    maximumAttempts: 3,
  },
});
const quick = proxyActivities<AuditJobActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 10 },
});

/**
 * One long audit read (a full verification, an export) started by a person
 * through the API: the read runs as one activity writing its result to the
 * object store; a run that fails for good marks the job failed with the reason
 * and gives its slot back, so a person polling sees why and may start again.
 */
export async function auditJob(input: AuditJobInput): Promise<void> {
  try {
    await long.runAuditJob(input);
  } catch (err) {
    const cause = err instanceof ActivityFailure ? err.cause : err;
    const reason =
      cause instanceof ApplicationFailure || cause instanceof Error ? cause.message : String(cause);
    await quick.failAuditJob({ jobId: input.jobId, error: reason });
  }
}
