import { ApplicationFailure, Client, Connection, WorkflowUpdateFailedError } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { DutyActivities } from '../../activities/duties.ts';
import type { DutyOccurrence } from '../../domain/duties.ts';
import { bundleWorkflows } from '../../infra/worker.ts';
import { recordDutyUpdate } from '../../workflows/duty/messages.ts';
import { LAST_SAVE_PATCH, dutyOccurrence } from '../../workflows/duty/workflow.ts';
import { saveHistory } from '../support/case-harness.ts';
import { uniqueId } from './harness.ts';

/**
 * A duty occurrence whose completing save failed for good: the completion's update fails, but the
 * run has the occurrence completed and ends; it saves that state once more before it ends, so
 * the store is not left with the copy before (open, a part undone) and nothing to correct it.
 * Stub activities on the dev server: the store is the list of copies saved.
 */
const taskQueue = uniqueId('duty-last-save');
const saved: DutyOccurrence[] = [];
let refuseCompleted = true;
let native: NativeConnection;
let connection: Connection;
let client: Client;
let worker: Worker;
let running: Promise<void>;

const activities: Pick<DutyActivities, 'openDutyOccurrence' | 'saveDutyOccurrence'> = {
  async openDutyOccurrence(o) {
    saved.push(o);
  },
  async saveDutyOccurrence(o) {
    if (o.status === 'completed' && refuseCompleted) {
      refuseCompleted = false;
      throw ApplicationFailure.nonRetryable('the store refused the write', 'StoreDown');
    }
    saved.push(o);
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

const occurrence = (id: string): DutyOccurrence => ({
  dutyId: 'standing-posts',
  period: '2060-01-01',
  periodLabel: { zh: '2060-01-01', en: '2060-01-01' },
  opens: '2060-01-01',
  dueDate: '2060-01-01',
  occurrenceId: id,
  buildingId: 'bldg-a',
  opensAt: new Date().toISOString(),
  due: new Date(Date.now() + 3_600_000).toISOString(),
  reminders: [],
  ownerIds: ['staff-lee'],
  supervisorIds: [],
  status: 'open',
  completions: [],
  progress: [],
  remindersSent: 0,
});

describe('a completing save that failed for good', () => {
  it('is made again before the run ends: the last copy saved is the completed occurrence', async () => {
    const id = uniqueId('duty.standing-posts.bldg-a');
    const handle = await client.workflow.start(dutyOccurrence, {
      taskQueue,
      workflowId: id,
      args: [{ occurrence: occurrence(id) }],
    });
    const post = (part: string) =>
      handle.executeUpdate(recordDutyUpdate, {
        args: [{ by: 'staff-lee', part, minutes: 30, evidence: [] }],
      });
    await post('morning');
    await post('noon');
    const failed: unknown = await post('evening').then(
      () => null,
      (e: unknown) => e,
    );
    expect(failed).toBeInstanceOf(WorkflowUpdateFailedError);

    const ended = await handle.result();
    expect(ended.status).toBe('completed');
    expect(saved.at(-1)).toEqual(ended);
    const history = await handle.fetchHistory();
    const patches = (history.events ?? []).map((e) =>
      Buffer.from(
        e.markerRecordedEventAttributes?.details?.['patch-data']?.payloads?.[0]?.data ?? [],
      ).toString(),
    );
    expect(patches.some((p) => p.includes(LAST_SAVE_PATCH))).toBe(true);
    await saveHistory(handle, 'duty-completing-save-refused');
  });
});
