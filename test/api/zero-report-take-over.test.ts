import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZeroBoard } from '../../api/routes/zero-report.tsx';
import { loadNight, takeOverNight } from '../../store/zero-reports.ts';
import { zeroNightQuery } from '../../workflows/zero-report/messages.ts';
import { zeroReportNight } from '../../workflows/zero-report/workflow.ts';
import { ownTables, sentEmails, uniqueId } from '../support/stack.ts';
import { call, startApiStackOn, type ApiStack } from './harness.ts';

/**
 * A night whose run was terminated (or failed) is not lost: the next run started for it takes
 * the night over, carries on the reports taken before, and reports reach it. A run still going,
 * or one that finished its night, keeps it. Over the real stack (the dev server, the worker's own
 * Temporal client asked for the holder's status); own tables and nights of this file's own.
 */
const tables = ownTables(uniqueId('zero-take'));
const NIGHT = `20${50 + Math.floor(Math.random() * 49)}-10-13`;
let s: ApiStack;
const started: string[] = [];

beforeAll(async () => {
  s = await startApiStackOn(tables);
});
afterAll(async () => {
  for (const id of started)
    await s?.deps.temporal.workflow
      .getHandle(id)
      .terminate('test over')
      .catch(() => undefined);
  await s?.stop();
});

const store = () => ({ ddb: s.deps.aws.ddb, tables: s.deps.aws.tables });

async function startNight(night: string, prefix: string, config?: { lateMinutes: number }) {
  const h = await s.deps.temporal.workflow.start(zeroReportNight, {
    taskQueue: s.deps.env.TEMPORAL_TASK_QUEUE,
    workflowId: uniqueId(prefix),
    args: [{ night, ...(config ? { config } : {}) }],
  });
  started.push(h.workflowId);
  return h;
}

async function untilOpen(h: Awaited<ReturnType<typeof startNight>>) {
  for (let i = 0; i < 300 && (await h.query(zeroNightQuery)).phase === 'opening'; i++)
    await new Promise((r) => setTimeout(r, 100));
  return h.query(zeroNightQuery);
}

const report = (as: string, body: unknown) => call(s.app, 'POST', `/api/zero-reports/${NIGHT}`, { as, body });

describe('a night whose run was terminated', () => {
  it('is taken over by the next run, which carries the reports on and takes new ones', async () => {
    const first = await startNight(NIGHT, 'zero-first');
    expect((await untilOpen(first)).phase).toBe('open');
    const absent = { absent: [{ room: 'A102', name: '李四', note: '未归' }], late: [] };
    expect((await report('grid-a1c1', absent)).status).toBe(201);
    await first.terminate('operator stopped it');
    // Nobody can report while no run holds the night: the refusal says the round is closed.
    expect((await report('grid-a1c2', { none: true })).status).toBe(409);

    const second = await startNight(NIGHT, 'zero-second');
    const state = await untilOpen(second);
    expect(state.phase).toBe('open');
    expect(state.heldBy).toBeUndefined();
    expect(state.cells).toHaveLength(14);
    // The report taken by the first run is on the second's record: the cell is not missing.
    expect(state.reports).toMatchObject([{ cellId: 'L3:a-f1-c1', absent: [{ room: 'A102' }] }]);
    expect((await loadNight(store(), NIGHT))?.night.workflowId).toBe(second.workflowId);

    // A report now goes to the second run, and a correction keeps what was reported before.
    expect((await report('grid-a1c2', { none: true })).status).toBe(201);
    expect((await report('grid-a1c1', { none: true })).status).toBe(201);
    const taken = await second.query(zeroNightQuery);
    expect(taken.reports.map((r) => r.cellId).sort()).toEqual(['L3:a-f1-c1', 'L3:a-f1-c2']);
    const board = (await (
      await call(s.app, 'GET', `/api/zero-reports/${NIGHT}`, { as: 'sup-wang' })
    ).json()) as ZeroBoard;
    const a1c1 = board.cells.find((c) => c.cellId === 'L3:a-f1-c1');
    expect(a1c1).toMatchObject({ status: 'none', corrected: true });
    expect(a1c1?.report?.earlier).toMatchObject([{ absent: [{ room: 'A102', name: '李四' }] }]);

    // Each grid member was asked once, by the first run: the second did not ask again.
    const asks = await sentEmails((e) => e.subject.includes(`【零报告】${NIGHT}`));
    expect(asks.flatMap((m) => m.to)).toHaveLength(14);

    // A run started while the second holds the night ends at once: one night, one run.
    const third = await startNight(NIGHT, 'zero-third');
    expect(await third.result()).toMatchObject({ phase: 'done', heldBy: second.workflowId, cells: [] });
    // And a take-over from a holder that is no longer the one read is refused (two at once: one wins).
    const row = await loadNight(store(), NIGHT);
    expect(
      await takeOverNight(store(), { ...row!.night, workflowId: third.workflowId }, first.workflowId),
    ).toBe(false);
    expect((await loadNight(store(), NIGHT))?.night.workflowId).toBe(second.workflowId);
  });
});

describe('a night whose run finished', () => {
  it('stays that run’s: a later run for it ends at once', async () => {
    // A night long past with no late reports: the run closes, escalates and finishes at once.
    const past = `20${10 + Math.floor(Math.random() * 15)}-10-13`;
    const done = await startNight(past, 'zero-done', { lateMinutes: 0 });
    expect(await done.result()).toMatchObject({ phase: 'done', night: past });
    const later = await startNight(past, 'zero-later');
    expect(await later.result()).toMatchObject({ phase: 'done', heldBy: done.workflowId, cells: [] });
    expect((await loadNight(store(), past))?.night.workflowId).toBe(done.workflowId);
  });
});
