import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { getDigest } from '../../store/digests.ts';
import type { AreaSummary } from '../../domain/digest.ts';
import { ensureSchedules, feedbackScheduleSpecs, type ScheduleDefinition } from '../../infra/schedules.ts';
import { bundleWorkflows, createWorker, type RectifyWorker } from '../../infra/worker.ts';
import { weeklyStatusQuery } from '../../workflows/weekly-feedback/messages.ts';
import { seedDemo, testDeps, uniqueId } from '../support/stack.ts';

let connection: Connection;
let native: NativeConnection;
let client: Client;
let worker: RectifyWorker;
let running: Promise<void>;
const taskQueue = uniqueId('sched-tq');
const deps = testDeps();
let specs: ScheduleDefinition[];

beforeAll(async () => {
  const address = inject('stack').temporalAddress;
  const [bundle] = await Promise.all([bundleWorkflows(), seedDemo(deps)]);
  [connection, native] = await Promise.all([
    Connection.connect({ address }),
    NativeConnection.connect({ address }),
  ]);
  client = new Client({ connection });
  worker = await createWorker({ connection: native, namespace: 'default', taskQueue, deps, bundle });
  running = worker.run();
  // Ids of this file's own, so parallel files (and the real schedules) are never touched.
  specs = feedbackScheduleSpecs({ timeZone: 'Asia/Shanghai', weekly: { sendRatePerSecond: 50 } }).map(
    (s) => ({
      ...s,
      scheduleId: uniqueId(s.scheduleId),
    }),
  );
});

afterAll(async () => {
  for (const s of specs ?? [])
    await client?.schedule
      .getHandle(s.scheduleId)
      .delete()
      .catch(() => undefined);
  worker?.shutdown();
  await running;
  await connection?.close();
  await native?.close();
});

describe('the feedback schedules on the dev server', () => {
  it('are created once and updated in place, with their time zone, overlap and catch-up policies', async () => {
    const first = await ensureSchedules(client, { TEMPORAL_TASK_QUEUE: taskQueue }, specs);
    expect(first).toEqual({ created: specs.map((s) => s.scheduleId), updated: [] });
    const again = await ensureSchedules(client, { TEMPORAL_TASK_QUEUE: taskQueue }, specs);
    expect(again).toEqual({ created: [], updated: specs.map((s) => s.scheduleId) });

    const [weekly, daily] = await Promise.all(
      specs.map((s) => client.schedule.getHandle(s.scheduleId).describe()),
    );
    expect(weekly?.policies).toMatchObject({ overlap: 'ALLOW_ALL', catchupWindow: 28 * 24 * 3_600_000 });
    expect(weekly?.spec.timezone).toBe('Asia/Shanghai');
    expect(weekly?.spec.calendars?.[0]).toMatchObject({
      hour: [{ start: 8, end: 8, step: 1 }],
      minute: [{ start: 0, end: 0, step: 1 }],
      dayOfWeek: [{ start: 'MONDAY', end: 'MONDAY', step: 1 }],
    });
    expect(weekly?.action).toMatchObject({ workflowType: 'weeklyFeedback', taskQueue });
    // The next run is a Monday at 08:00 in Shanghai, i.e. 00:00 UTC.
    const next = weekly?.info.nextActionTimes[0];
    expect(next?.getUTCDay()).toBe(1);
    expect(next?.toISOString().slice(11)).toBe('00:00:00.000Z');
    expect(daily?.policies).toMatchObject({ overlap: 'SKIP', catchupWindow: 4 * 3_600_000 });
    expect(daily?.spec.calendars?.[0]).toMatchObject({
      hour: [{ start: 7, end: 7, step: 1 }],
      minute: [{ start: 30, end: 30, step: 1 }],
    });
  });

  it('a missed Monday, caught up later, reports the week it was due for', async () => {
    const weekly = specs[0];
    if (!weekly) throw new Error('no weekly spec');
    const handle = client.schedule.getHandle(weekly.scheduleId);
    // Monday 2013-03-11 08:00 in Shanghai: that run should have reported 2013-W10.
    const missed = new Date('2013-03-11T00:00:00.000Z');
    await handle.backfill({
      start: new Date(missed.getTime() - 60_000),
      end: new Date(missed.getTime() + 60_000),
      overlap: 'ALLOW_ALL',
    });
    let workflowId: string | undefined;
    for (let i = 0; !workflowId && i < 100; i++) {
      const d = await handle.describe();
      workflowId = d.info.recentActions.find((a) => a.scheduledAt.getTime() === missed.getTime())?.action
        .workflow.workflowId;
      if (!workflowId) await new Promise((r) => setTimeout(r, 200));
    }
    expect(workflowId).toBeDefined();
    const run = client.workflow.getHandle(workflowId ?? '');
    let status = await run.query(weeklyStatusQuery);
    for (let i = 0; (status.phase === 'build' || status.phase === 'send') && i < 150; i++) {
      await new Promise((r) => setTimeout(r, 200));
      status = await run.query(weeklyStatusQuery);
    }
    // Not the week of today's date: the week before the Monday it was due on. That week had no
    // cases, so the run stored zero summaries and, with nobody to wait for, is done.
    expect(status).toMatchObject({ week: '2013-W10', phase: 'done' });
    const campus = await getDigest<AreaSummary>(deps, '2013-W10', 'working_group', 'campus');
    expect(campus?.digest.week).toBe('2013-W10');
    expect(campus?.workflowId).toBe(workflowId);
    expect(await run.result()).toMatchObject({ week: '2013-W10', staff: 0, departmentOutcome: 'none' });
  });
});
