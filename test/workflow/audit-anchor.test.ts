import { Client, Connection } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundle } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { createAuditActivities } from '../../activities/audit-anchor.ts';
import { AnchorHeadsError, latestAnchor, readAnchorHeads } from '../../store/anchors.ts';
import { verifyAll, type VerifyEvent } from '../../audit/verify.ts';
import type { ActivityDeps } from '../../activities/index.ts';
import { anchorRoot } from '../../domain/hash-chain.ts';
import { bundleWorkflows } from '../../infra/worker.ts';
import { auditAnchorScheduleSpec } from '../../workflows/audit-anchor/schedule.ts';
import { auditAnchor } from '../../workflows/audit-anchor/workflow.ts';
import { deleteCase, seedCase } from '../support/audit-fixtures.ts';
import { timeSkippingEnv } from '../support/case-harness.ts';
import { seedDemo, testDeps, uniqueId } from '../support/stack.ts';

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundle;
let deps: ActivityDeps;

beforeAll(async () => {
  [env, bundle] = await Promise.all([timeSkippingEnv(), bundleWorkflows()]);
  deps = testDeps();
  await seedDemo(deps);
});
afterAll(async () => {
  await env?.teardown();
});

async function withAnchorWorker<T>(fn: (taskQueue: string) => Promise<T>): Promise<T> {
  const taskQueue = uniqueId('tq-anchor');
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    workflowBundle: bundle,
    activities: createAuditActivities(deps),
  });
  return worker.runUntil(fn(taskQueue));
}

// A plain client: the anchor has no timers to skip, and the time-skipping client's result()
// would let the server race its clock past a cold worker's first workflow task.
const client = () => new Client({ connection: env.connection, namespace: env.namespace ?? 'default' });

const runAnchor = (taskQueue: string, keepHeads?: number) =>
  client().workflow.execute(auditAnchor, {
    taskQueue,
    workflowId: uniqueId('audit-anchor'),
    args: [keepHeads === undefined ? {} : { keepHeads }],
  });

describe('the anchor workflow', () => {
  it('anchors every case head, chains anchors, catches a deleted case and prunes old head lists', async () => {
    const a = uniqueId('ZG-WFA');
    const b = uniqueId('ZG-WFB');
    await seedCase(deps, a, 2);
    await seedCase(deps, b, 3);

    await withAnchorWorker(async (tq) => {
      const first = await runAnchor(tq);
      const stored = await latestAnchor(deps.ddb, deps.tables);
      expect(stored?.seq).toBeGreaterThanOrEqual(first.seq);
      const heads = await readAnchorHeads(deps.ddb, deps.tables, {
        anchorId: first.anchorId,
        root: first.root,
        caseCount: first.caseCount,
        chunkCount: Math.ceil(first.caseCount / 500),
      });
      // The root the workflow returned (kept in Temporal's history) proves the stored heads.
      expect(anchorRoot(heads)).toBe(first.root);
      expect(heads.find((h) => h.caseId === a)).toMatchObject({ seq: 2 });
      expect(heads.find((h) => h.caseId === b)).toMatchObject({ seq: 3 });
      expect(first.findings.missing).not.toContain(b);

      // Someone with table access deletes case b outright: rows and record.
      await deleteCase(testDeps(), b, 3, { record: true });
      const second = await runAnchor(tq);
      expect(second.seq).toBeGreaterThan(first.seq);
      expect(second.findings.missing).toContain(b);
      expect(second.findings.missing).not.toContain(a);

      const events: VerifyEvent[] = [];
      for await (const e of verifyAll(deps)) events.push(e);
      const summary = events.at(-1);
      if (summary?.type !== 'summary') throw new Error('no summary');
      expect(summary.missing).toContain(b);
      expect(summary.missing).not.toContain(a);

      // Bounded storage: keep the newest head list only; the first run's list goes, its entry stays.
      const third = await runAnchor(tq, 1);
      expect(third.pruned).toEqual(expect.arrayContaining([first.anchorId, second.anchorId]));
      const fresh = testDeps();
      await expect(
        readAnchorHeads(fresh.ddb, fresh.tables, {
          anchorId: first.anchorId,
          root: first.root,
          caseCount: first.caseCount,
          chunkCount: Math.ceil(first.caseCount / 500),
        }),
      ).rejects.toBeInstanceOf(AnchorHeadsError);
      // ...and the deleted case is still carried forward as missing by the newest anchor.
      expect(third.findings.missing).toContain(b);
    });
  });

  it('records a short history whatever the number of cases: three activities', async () => {
    await withAnchorWorker(async (tq) => {
      const workflowId = uniqueId('audit-anchor');
      await client().workflow.execute(auditAnchor, { taskQueue: tq, workflowId, args: [{}] });
      const history = await client().workflow.getHandle(workflowId).fetchHistory();
      const scheduled = (history.events ?? []).filter((e) => e.activityTaskScheduledEventAttributes);
      expect(scheduled.map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name)).toEqual([
        'collectAnchorHeads',
        'sealAnchor',
        'pruneAnchorHeads',
      ]);
    });
  });
});

describe('the anchor schedule', () => {
  it('is a valid daily 02:00 campus-time schedule on a real Temporal server', async () => {
    const spec = auditAnchorScheduleSpec();
    expect(spec).toMatchObject({ workflowType: 'auditAnchor', cron: '0 2 * * *', timeZone: 'Asia/Shanghai' });
    const connection = await Connection.connect({ address: inject('stack').temporalAddress });
    try {
      const client = new Client({ connection });
      const scheduleId = uniqueId(spec.scheduleId);
      const handle = await client.schedule.create({
        scheduleId,
        spec: { cronExpressions: [spec.cron], timezone: spec.timeZone },
        action: {
          type: 'startWorkflow',
          workflowType: spec.workflowType,
          args: spec.args,
          taskQueue: 'rectify',
        },
        policies: { overlap: spec.overlap, catchupWindow: spec.catchupWindow },
        state: { paused: true },
      });
      try {
        const described = await handle.describe();
        const next = described.info.nextActionTimes;
        expect(next.length).toBeGreaterThan(1);
        // 02:00 in Asia/Shanghai (UTC+8, no DST) is 18:00 UTC the day before, once a day.
        for (const t of next) expect([t.getUTCHours(), t.getUTCMinutes()]).toEqual([18, 0]);
        expect(next[1]!.getTime() - next[0]!.getTime()).toBe(24 * 3_600_000);
      } finally {
        await handle.delete();
      }
    } finally {
      await connection.close();
    }
  });
});
