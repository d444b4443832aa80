import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DefaultLogger,
  type LogLevel,
  type LogMetadata,
  type NativeConnection,
  Runtime,
  Worker,
  bundleWorkflowCode,
  type WorkflowBundle,
  type WorkflowBundlePath,
} from '@temporalio/worker';
import { createAuditActivities } from '../activities/audit-anchor.ts';
import { createAuditJobActivities } from '../activities/audit-jobs.ts';
import { createActivities, type ActivityDeps } from '../activities/index.ts';
import { createFeedbackActivities } from '../activities/feedback.ts';
import { createZeroReportActivities } from '../activities/zero-report.ts';
import { createInspectionActivities } from '../activities/inspection.ts';
import { createReportTriageActivities } from '../activities/report-triage.ts';
import { createCalendarWatchActivities } from '../activities/calendar-watch.ts';
import { createCalendarBroadcastActivities } from '../activities/calendar-broadcast.ts';
import { effectQueues } from '../domain/effect-failure.ts';
import { createDutyActivities } from '../activities/duties.ts';
import { createReviewDigestActivities } from '../activities/review-digest.ts';

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

/**
 * The Rectify worker: the workflows and their activities on the task queue, and the case's
 * mail and audit records on queues of their own (effectQueues), so a mail that keeps
 * failing never takes the slots the audit trail needs. Started, run and stopped as one.
 */
export async function createWorker(opts: WorkerOptions): Promise<RectifyWorker> {
  const main = await Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    ...(opts.bundle ? { workflowBundle: opts.bundle } : { workflowsPath }),
    activities: {
      ...createActivities(opts.deps),
      ...createFeedbackActivities(opts.deps),
      ...createAuditActivities(opts.deps),
      ...createAuditJobActivities(opts.deps),
      ...createZeroReportActivities(opts.deps),
      ...createInspectionActivities(opts.deps),
      ...createReportTriageActivities(opts.deps),
      ...createCalendarWatchActivities(opts.deps),
      ...createCalendarBroadcastActivities(opts.deps),
      ...createDutyActivities(opts.deps),
      ...createReviewDigestActivities(opts.deps),
    },
  });
  return new RectifyWorker(main, await effectWorkers(opts, createActivities(opts.deps)));
}

/** Activity-only workers for a case's mail and audit queues, serving `activities`. */
export async function effectWorkers(
  opts: Pick<WorkerOptions, 'connection' | 'namespace' | 'taskQueue'>,
  activities: object,
): Promise<Worker[]> {
  const queues = effectQueues(opts.taskQueue);
  return Promise.all(
    [queues.mail, queues.audit].map((taskQueue) =>
      Worker.create({ connection: opts.connection, namespace: opts.namespace, taskQueue, activities }),
    ),
  );
}

/** Several workers run and stopped as one: the first is the one whose state is reported. */
export class RectifyWorker {
  constructor(
    readonly main: Worker,
    readonly side: Worker[],
  ) {}

  getState(): ReturnType<Worker['getState']> {
    return this.main.getState();
  }

  shutdown(): void {
    for (const w of [this.main, ...this.side]) if (w.getState() === 'RUNNING') w.shutdown();
  }

  /** Runs all until shut down (or until one of them fails, which stops the others). */
  async run(): Promise<void> {
    const runs = [this.main, ...this.side].map((w) => w.run());
    try {
      await Promise.all(runs);
    } finally {
      this.shutdown();
      await Promise.allSettled(runs);
    }
  }

  /** Runs all while `fn` runs, then stops them; answers what `fn` answered. */
  async runUntil<R>(fn: Promise<R> | (() => Promise<R>)): Promise<R> {
    const sides = this.side.map((w) => w.run());
    try {
      return await this.main.runUntil(fn);
    } finally {
      for (const w of this.side) if (w.getState() === 'RUNNING') w.shutdown();
      await Promise.allSettled(sides);
    }
  }
}

/**
 * The SDK's logger without its warning that a worker has no workflows: the mail and audit
 * workers are activity-only by design, and the warning would stand in every ready block.
 */
class QuietLogger extends DefaultLogger {
  override log(level: LogLevel, message: string, meta?: LogMetadata): void {
    if (message.startsWith('No workflows registered')) return;
    super.log(level, message, meta);
  }
}

/** Keeps the SDK's own logging to warnings so a person sees the ready block, not lifecycle chatter. */
export function quietRuntime(level: 'WARN' | 'INFO' | 'DEBUG' = 'WARN'): void {
  Runtime.install({ logger: new QuietLogger(level) });
}
