import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DefaultLogger,
  type NativeConnection,
  Runtime,
  Worker,
  bundleWorkflowCode,
  type WorkflowBundle,
  type WorkflowBundlePath,
} from '@temporalio/worker';
import { createAuditActivities } from '../activities/audit-anchor.ts';
import { createActivities, type ActivityDeps } from '../activities/index.ts';
import { createFeedbackActivities } from '../activities/feedback.ts';
import { createZeroReportActivities } from '../activities/zero-report.ts';
import { createInspectionActivities } from '../activities/inspection.ts';
import { createDutyActivities } from '../activities/duties.ts';

export const workflowsPath = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'workflows',
  'index.ts',
);

/** Bundles the workflow code once (tests share one bundle per file; production prebuilds it). */
export function bundleWorkflows(): Promise<WorkflowBundle> {
  return bundleWorkflowCode({
    workflowsPath,
    logger: {
      log: () => {},
      error: () => {},
      warn: () => {},
      info: () => {},
      debug: () => {},
      trace: () => {},
    },
  });
}

export interface WorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  /** The code itself (tests) or the path of a prebuilt bundle (production workers). */
  bundle?: WorkflowBundle | WorkflowBundlePath | undefined;
}

/** The Rectify worker: the case workflow and its activities on one task queue. */
export async function createWorker(opts: WorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    ...(opts.bundle ? { workflowBundle: opts.bundle } : { workflowsPath }),
    activities: {
      ...createActivities(opts.deps),
      ...createFeedbackActivities(opts.deps),
      ...createAuditActivities(opts.deps),
      ...createZeroReportActivities(opts.deps),
      ...createInspectionActivities(opts.deps),
      ...createDutyActivities(opts.deps),
    },
  });
}

/** Keeps the SDK's own logging to warnings so a person sees the ready block, not lifecycle chatter. */
export function quietRuntime(level: 'WARN' | 'INFO' | 'DEBUG' = 'WARN'): void {
  Runtime.install({ logger: new DefaultLogger(level) });
}
