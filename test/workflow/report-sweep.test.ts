import { beforeAll, describe, expect, it } from 'vitest';
import { ensureTables } from '../../infra/local/servers.ts';
import { placeCode } from '../../domain/places.ts';
import { reportTriageWorkflowId } from '../../domain/report-triage.ts';
import { markChaseStarted, newReportId, saveReport, unchasedReports } from '../../store/reports.ts';
import { reportTriageQuery } from '../../workflows/report-triage/messages.ts';
import { reportSweep } from '../../workflows/report-triage/sweep.ts';
import { plainClient, settle, useCaseStack } from '../support/case-harness.ts';
import { uniqueId } from '../support/stack.ts';

// 10:00 on Tuesday 2016-05-17 in Shanghai: a date no other test file uses.
const START = new Date('2016-05-17T10:00:00+08:00');
const stack = useCaseStack({ startAt: START });

// Reports of its own: the sweep looks at every untriaged report, and other files leave theirs.
beforeAll(async () => {
  stack.deps = { ...stack.deps, tables: { ...stack.deps.tables, ops: uniqueId('ops-sweep') } };
  await ensureTables(stack.deps.ddb, stack.deps.tables);
});

const location = { buildingId: 'bldg-a', floorId: 'a-f2', roomId: 'A203' };
async function report(receivedAt: Date) {
  const { report } = await saveReport(stack.deps, {
    reportId: newReportId(),
    placeCode: placeCode(location),
    location,
    kind: 'repair',
    description: '灯不亮',
    evidence: [],
    receivedAt: receivedAt.toISOString(),
  });
  return report;
}

describe('the report sweep (schedule rectify-report-sweep)', () => {
  it('starts the chase of a report that came in while Temporal was down, once, and leaves the others', async () => {
    const now = await stack.now();
    // Saved ten minutes ago with no chase (the start failed); one chased by the API; one just in.
    const missed = await report(new Date(now.getTime() - 10 * 60_000));
    const chased = await report(new Date(now.getTime() - 10 * 60_000));
    await markChaseStarted(stack.deps, chased.reportId);
    const fresh = await report(now);
    expect((await unchasedReports(stack.deps, ['bldg-a'])).map((r) => r.reportId).sort()).toEqual(
      [missed.reportId, fresh.reportId].sort(),
    );

    await stack.withWorker(async (taskQueue) => {
      const sweep = () =>
        plainClient(stack.env).execute(reportSweep, {
          taskQueue,
          workflowId: uniqueId('sweep'),
          args: [{ config: { timeZone: 'Asia/Shanghai' } }],
        });
      // The fresh one is left to the API for its grace period.
      expect(await sweep()).toEqual({ found: 1, started: 1 });
      const chase = stack.env.client.workflow.getHandle(reportTriageWorkflowId(missed.reportId));
      await settle(chase);
      const state = await chase.query(reportTriageQuery);
      expect(state).toMatchObject({ reportId: missed.reportId });
      expect(state.plan.length).toBeGreaterThan(0);
      // Marked: the next sweep finds nothing of it to start.
      expect((await unchasedReports(stack.deps, ['bldg-a'])).map((r) => r.reportId)).toEqual([
        fresh.reportId,
      ]);
      expect(await sweep()).toEqual({ found: 0, started: 0 });
      await plainClient(stack.env).getHandle(reportTriageWorkflowId(missed.reportId)).terminate('test over');
    });
  }, 300_000);
});
