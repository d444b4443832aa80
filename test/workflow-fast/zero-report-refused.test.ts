import { ApplicationFailure, Client, Connection, WorkflowUpdateFailedError } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ZeroReportActivities } from '../../activities/zero-report.ts';
import type { ZeroCell, ZeroReport } from '../../domain/zero-report.ts';
import { bundleWorkflows } from '../../infra/worker.ts';
import { zeroNightQuery, zeroReportUpdate } from '../../workflows/zero-report/messages.ts';
import { REFUSED_NOT_KEPT_PATCH, zeroReportNight } from '../../workflows/zero-report/workflow.ts';
import { saveHistory } from '../support/case-harness.ts';
import { uniqueId } from './harness.ts';

/**
 * A report whose write failed for good is not kept by the night's run: the cell's report is the
 * one before it, so the escalation and the summaries do not use a report its sender was told was
 * refused. Stub activities on the dev server: the store refuses any report naming room A103.
 */
const taskQueue = uniqueId('zero-refused');
const stored: ZeroReport[] = [];
let native: NativeConnection;
let connection: Connection;
let client: Client;
let worker: Worker;
let running: Promise<void>;

const cell: ZeroCell = {
  cellId: 'L3:a-f1-c1',
  level: 3,
  buildingId: 'bldg-a',
  floorId: 'a-f1',
  name: { zh: 'A101–A105', en: 'A101–A105' },
  memberIds: ['grid-a1c1'],
  rooms: ['A101', 'A102', 'A103'],
};

const activities: Pick<ZeroReportActivities, 'openZeroNight' | 'recordZeroReport'> = {
  async openZeroNight() {
    return { cells: [cell], workingGroupIds: [], asked: 1 };
  },
  async recordZeroReport(r) {
    if (r.late.some((e) => e.room === 'A103'))
      throw ApplicationFailure.nonRetryable(
        'Item size has exceeded the maximum allowed size',
        'StoreRefused',
      );
    stored.push(r);
  },
};

beforeAll(async () => {
  const address = inject('fastTemporalAddress');
  native = await NativeConnection.connect({ address });
  connection = await Connection.connect({ address });
  client = new Client({ connection, namespace: 'default' });
  worker = await Worker.create({
    connection: native,
    namespace: 'default',
    taskQueue,
    workflowBundle: await bundleWorkflows(),
    activities,
  });
  running = worker.run();
});
afterAll(async () => {
  worker?.shutdown();
  await running;
  await native?.close();
  await connection?.close();
});

describe('a report the store refused', () => {
  it('is taken back from the night: the cell’s report is the one before it', async () => {
    const handle = await client.workflow.start(zeroReportNight, {
      taskQueue,
      workflowId: uniqueId('zero-night'),
      // A night far ahead: open while the test runs.
      args: [{ night: '2070-01-01' }],
    });
    try {
      const send = (late: { room: string; name: string }[]) =>
        handle.executeUpdate(zeroReportUpdate, {
          args: [{ cellId: cell.cellId, personId: 'grid-a1c1', via: 'api', late, absent: [] }],
        });
      const first = await send([{ room: 'A101', name: '张三' }]);
      const refused: unknown = await send([{ room: 'A103', name: '李四' }]).then(
        () => null,
        (e: unknown) => e,
      );
      expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
      const state = await handle.query(zeroNightQuery);
      expect(state.reports).toEqual([first]);
      expect(stored).toEqual([first]);
      // The next correction carries the report on record, not the refused one, as its earlier version.
      const next = await send([{ room: 'A102', name: '王五' }]);
      expect(next.earlier).toEqual([first]);

      const history = await handle.fetchHistory();
      const patches = (history.events ?? []).map((e) =>
        Buffer.from(
          e.markerRecordedEventAttributes?.details?.['patch-data']?.payloads?.[0]?.data ?? [],
        ).toString(),
      );
      expect(patches.some((p) => p.includes(REFUSED_NOT_KEPT_PATCH))).toBe(true);
      await saveHistory(handle, 'night-refused-write-taken-back');
    } finally {
      await handle.terminate('test over');
    }
  });
});
