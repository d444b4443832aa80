import {
  ActivityFailure,
  ApplicationFailure,
  WorkflowUpdateFailedError,
  type WorkflowHandle,
} from '@temporalio/client';
import { RetryState } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZeroBoard } from '../../api/routes/zero-report.tsx';
import { zeroReportLimits } from '../../domain/zero-report.ts';
import { EffectFailure } from '../../domain/effect-failure.ts';
import { ZeroReportFailure, zeroNightQuery } from '../../workflows/zero-report/messages.ts';
import { zeroReportNight } from '../../workflows/zero-report/workflow.ts';
import { ownTables, uniqueId } from '../support/stack.ts';
import { call, startApiStackOn, type ApiStack } from './harness.ts';

/**
 * How much a cell may report in a night: rows and notes of a report (refused with a 422 naming
 * the field, before the night's run sees it), reports a cell sends (the run refuses one past the
 * limit, 422), and corrections of the largest reports kept whole, each version in a row of its own
 * (in one row, five of them were past DynamoDB's 400 KB an item, and the write failed for good).
 * Own tables and a night of its own far ahead.
 */
const tables = ownTables(uniqueId('zero-limits'));
const NIGHT = `20${50 + Math.floor(Math.random() * 49)}-09-07`;
let s: ApiStack;
let night: WorkflowHandle<typeof zeroReportNight>;

beforeAll(async () => {
  s = await startApiStackOn(tables);
  night = await s.deps.temporal.workflow.start(zeroReportNight, {
    taskQueue: s.deps.env.TEMPORAL_TASK_QUEUE,
    workflowId: uniqueId('zero-night'),
    args: [{ night: NIGHT }],
  });
  for (let i = 0; i < 300 && (await night.query(zeroNightQuery)).phase !== 'open'; i++)
    await new Promise((r) => setTimeout(r, 100));
  expect((await night.query(zeroNightQuery)).phase).toBe('open');
});
afterAll(async () => {
  await night?.terminate('test over').catch(() => undefined);
  await s?.stop();
});

interface Problem {
  detail: string;
  errors?: { field: string; message: string }[];
}
const report = (as: string, body: unknown, lang = 'en') =>
  call(s.app, 'POST', `/api/zero-reports/${NIGHT}?lang=${lang}`, { as, body });

/** A report as large as the limits let it be: every row, names and notes at their longest, in Chinese. */
const largest = (version: number) => {
  const rows = (kind: string) =>
    Array.from({ length: zeroReportLimits.rows }, (_, i) => ({
      room: i % 2 === 0 ? 'A101' : 'A102',
      name: `${'张'.repeat(58)}${kind}${String(i).padStart(4, '0')}`,
      note: `${version}`.padEnd(zeroReportLimits.note, '未归电话不通'),
    }));
  return { late: rows('晚'), absent: rows('未') };
};

describe('a report over the limits', () => {
  it('is refused with a 422 naming the list with too many rows, or the note too long', async () => {
    const rows = Array.from({ length: zeroReportLimits.rows + 1 }, (_, i) => ({
      room: 'A201',
      name: `学生${i}`,
    }));
    const many = await report('grid-a2c1', { late: rows, absent: [] });
    expect(many.status).toBe(422);
    expect(((await many.json()) as Problem).errors).toEqual([
      { field: 'late', message: `at most ${zeroReportLimits.rows} rows a report (${rows.length} here)` },
    ]);

    const long = await report(
      'grid-a2c1',
      { late: [], absent: [{ room: 'A201', name: '李四', note: '电'.repeat(zeroReportLimits.note + 1) }] },
      'zh-CN',
    );
    expect(long.status).toBe(422);
    expect(((await long.json()) as Problem).errors).toEqual([
      {
        field: 'absent.0.note',
        message: `备注最多 ${zeroReportLimits.note} 字（此处 ${zeroReportLimits.note + 1} 字）`,
      },
    ]);
    const board = (await (
      await call(s.app, 'GET', `/api/zero-reports/${NIGHT}`, { as: 'sup-wang' })
    ).json()) as ZeroBoard;
    expect(board.cells.find((c) => c.cellId === 'L3:a-f2-c1')?.report).toBeUndefined();
  });
});

describe('corrections of the largest reports', () => {
  it('are each taken and kept whole; a report past the night’s number for the cell is refused', async () => {
    const versions = 5;
    for (let v = 1; v <= versions; v++)
      expect((await report('grid-a1c1', largest(v))).status, `report ${v}`).toBe(201);
    expect((await report('grid-a1c1', { none: true })).status).toBe(201);
    expect(zeroReportLimits.reportsPerCell).toBe(versions + 1);

    const past = await report('grid-a1c1', { late: [{ room: 'A101', name: '王五' }], absent: [] });
    expect(past.status).toBe(422);
    expect(((await past.json()) as Problem).detail).toBe(
      `cell L3:a-f1-c1 has reported ${zeroReportLimits.reportsPerCell} times tonight, the most a night takes; ask the level above to correct it`,
    );

    const board = (await (
      await call(s.app, 'GET', `/api/zero-reports/${NIGHT}`, { as: 'sup-wang' })
    ).json()) as ZeroBoard;
    const cell = board.cells.find((c) => c.cellId === 'L3:a-f1-c1');
    expect(cell?.status).toBe('none');
    expect(cell?.report?.earlier).toHaveLength(versions);
    cell?.report?.earlier.forEach((e, i) => {
      expect(e.late).toHaveLength(zeroReportLimits.rows);
      expect(e.absent[0]?.note?.startsWith(`${i + 1}`)).toBe(true);
    });
    // The night's run holds what the board shows: the refused report is on neither.
    const run = (await night.query(zeroNightQuery)).reports.find((r) => r.cellId === 'L3:a-f1-c1');
    expect(run?.none).toBe(true);
    expect(run?.earlier).toHaveLength(versions);
  });
});

describe('a report the night’s run did not take', () => {
  /** Answers the next report as the run would have failed it with `cause`. */
  const failingWith = async (cause: Error) => {
    const workflow = s.deps.temporal.workflow;
    const getHandle = workflow.getHandle.bind(workflow);
    workflow.getHandle = (id: string) => {
      const handle = getHandle(id);
      handle.executeUpdate = () => Promise.reject(new WorkflowUpdateFailedError('update failed', cause));
      return handle;
    };
    try {
      const res = await report('grid-b1c1', { none: true });
      return { status: res.status, detail: ((await res.json()) as Problem).detail };
    } finally {
      workflow.getHandle = getHandle;
    }
  };

  it('says what failed: 503 to send again when the store failed, 409 only when the night is closed', async () => {
    const store = new ActivityFailure(
      'activity failed',
      'recordZeroReport',
      '1',
      RetryState.MAXIMUM_ATTEMPTS_REACHED,
      undefined,
      ApplicationFailure.create({ message: 'connect ECONNREFUSED 127.0.0.1:8000' }),
    );
    expect(await failingWith(store)).toEqual({
      status: 503,
      detail:
        'the report could not be saved (the database is unavailable right now) and was not recorded; send it again shortly',
    });
    // Refused by the store itself (the activity ends at once, not after its retries): sending it
    // again as it is would be refused again, so the reporter is told to change it.
    const refused = new ActivityFailure(
      'activity failed',
      'recordZeroReport',
      '1',
      RetryState.NON_RETRYABLE_FAILURE,
      undefined,
      ApplicationFailure.nonRetryable(
        'Item size has exceeded the maximum allowed size',
        EffectFailure.Invalid,
      ),
    );
    expect(await failingWith(refused)).toEqual({
      status: 422,
      detail:
        'the database refused to save this report (too long or holding characters it cannot store) and it was not recorded; shorten or change it and send it again',
    });
    const closed = ApplicationFailure.create({ message: 'closed', type: ZeroReportFailure.Closed });
    expect(await failingWith(closed)).toEqual({
      status: 409,
      detail: `the zero report of ${NIGHT} is closed and takes no more reports`,
    });
  });
});
