import { readFile } from 'node:fs/promises';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createCalendarBroadcastActivities } from '../../activities/calendar-broadcast.ts';
import { LOCAL_CALENDAR_FILE } from '../../infra/calendar.ts';
import { ensureTables } from '../../infra/local/servers.ts';
import { saveCalendarVersion } from '../../store/calendar-versions.ts';
import { calendarBroadcastState, startCalendarBroadcast } from '../../workflows/calendar-broadcast/start.ts';
import { calendarBroadcastId } from '../../workflows/calendar-broadcast/workflow.ts';
import { ownTables, testDeps, testEnv, uniqueId } from '../support/stack.ts';

/**
 * One running case that never answers (its workflow tasks keep failing) must not hold the
 * calendar broadcast: the others are told, the broadcast ends saying how many were not, and it
 * may be started again (the daily check does).
 */

const env = testEnv({ ...ownTables(uniqueId('calstuck')), TEMPORAL_TASK_QUEUE: uniqueId('tq-calstuck') });
const deps = { ...testDeps(env), calendarUpdateTimeoutMs: 2_000 };
const queue = env.TEMPORAL_TASK_QUEUE;
let connection: Connection;
let native: NativeConnection;
let client: Client;
let worker: Worker;
let running: Promise<void>;

beforeAll(async () => {
  await ensureTables(deps.ddb, deps.tables);
  const address = inject('stack').temporalAddress;
  [connection, native] = await Promise.all([
    Connection.connect({ address }),
    NativeConnection.connect({ address }),
  ]);
  client = new Client({ connection });
  worker = await Worker.create({
    connection: native,
    taskQueue: queue,
    workflowBundle: await bundleWorkflowCode({
      workflowsPath: new URL('../support/broadcast-stuck-workflows.ts', import.meta.url).pathname,
      logger: {
        log: () => undefined,
        trace: () => undefined,
        debug: () => undefined,
        info: () => undefined,
        warn: () => undefined,
        error: () => undefined,
      },
    }),
    activities: createCalendarBroadcastActivities(deps),
  });
  running = worker.run();
});
afterAll(async () => {
  worker?.shutdown();
  await running;
  await native?.close();
  await connection?.close();
});

async function visible(ids: string[]): Promise<void> {
  const end = Date.now() + 30_000;
  for (;;) {
    const seen = new Set<string>();
    for await (const wf of client.workflow.list({
      query: `TaskQueue = '${queue}' AND ExecutionStatus = 'Running'`,
    }))
      seen.add(wf.workflowId);
    if (ids.every((id) => seen.has(id))) return;
    if (Date.now() > end) throw new Error('the cases are not listed within 30 s');
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('a calendar broadcast with a case that never answers', () => {
  it('tells the others, ends saying how many were not told, and may be started again', async () => {
    const good = uniqueId('case-good');
    const stuck = uniqueId('case-stuck');
    await client.workflow.start('rectificationCaseV2', { taskQueue: queue, workflowId: good });
    await client.workflow.start('rectificationCase', { taskQueue: queue, workflowId: stuck });
    await visible([good, stuck]);
    const text = await readFile(LOCAL_CALENDAR_FILE, 'utf8');
    const saved = await saveCalendarVersion(deps, {
      text,
      savedBy: 'admin-xu',
      savedAt: new Date().toISOString(),
    });

    const input = { version: saved.number, savedAt: saved.savedAt };
    expect(await startCalendarBroadcast(client, queue, input)).toBe(true);
    const handle = client.workflow.getHandle(calendarBroadcastId(queue, saved.number));
    // Without the per-case bound the broadcast waits on the stuck case for good (the client re-asks).
    const outcome = await Promise.race([
      handle.result().then(
        () => 'completed',
        (err: unknown) => err,
      ),
      new Promise((r) => setTimeout(() => r('still running after 60 s'), 60_000)),
    ]);
    expect(outcome).toBeInstanceOf(WorkflowFailedError);
    const messages: string[] = [];
    for (let e: unknown = outcome; e instanceof Error; e = e.cause) messages.push(e.message);
    expect(messages.join(' | ')).toContain(stuck);

    expect(await calendarBroadcastState(client, queue, saved.number)).toEqual({
      kind: 'failed',
      partial: { told: 1, notTold: 1 },
    });
    // The daily check may start it again: the failed run does not hold the version's id.
    expect(await startCalendarBroadcast(client, queue, input)).toBe(true);
    await handle.terminate('test over').catch(() => undefined);
    await client.workflow.getHandle(good).terminate('test over');
    await client.workflow.getHandle(stuck).terminate('test over');
  }, 120_000);
});
