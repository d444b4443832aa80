import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { RecountResult } from '../../activities/calendar-broadcast.ts';
import { CASES_NOT_TOLD } from '../../domain/calendar-change.ts';
import { calendarBroadcastId, type calendarBroadcast, type CalendarBroadcastInput } from './workflow.ts';

/**
 * Starts the broadcast of a saved calendar version, once: a second start (the daily check after
 * the page's own) finds it started or done and leaves it. Answers whether this call started it.
 */
export async function startCalendarBroadcast(
  client: Client,
  taskQueue: string,
  input: CalendarBroadcastInput,
): Promise<boolean> {
  try {
    await client.workflow.start('calendarBroadcast', {
      taskQueue,
      workflowId: calendarBroadcastId(taskQueue, input.version),
      args: [input],
      // One broadcast per version: never run again once done, but one that failed may be started again.
      workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
    });
    return true;
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw err;
  }
}

/** Where the broadcast of a version stands, for the calendar page. */
export type BroadcastState =
  | { kind: 'done'; told: number; refused: number }
  | { kind: 'running' }
  /** `notTold`: the last try told every case it could and these did not answer (else it failed outright). */
  | { kind: 'failed'; partial?: { told: number; notTold: number } | undefined }
  | { kind: 'not_started' };

export async function calendarBroadcastState(
  client: Client,
  taskQueue: string,
  version: number,
): Promise<BroadcastState> {
  const handle = client.workflow.getHandle<typeof calendarBroadcast>(calendarBroadcastId(taskQueue, version));
  try {
    const { status } = await handle.describe();
    if (status.name === 'RUNNING') return { kind: 'running' };
    if (status.name !== 'COMPLETED') return { kind: 'failed', partial: await partialOf(handle) };
    const { first, second } = await handle.result();
    return { kind: 'done', told: first.told + second.told, refused: first.refused };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return { kind: 'not_started' };
    throw err;
  }
}

/** What a broadcast that ended with cases not told did tell, from its failure's details. */
async function partialOf(handle: {
  result(): Promise<unknown>;
}): Promise<{ told: number; notTold: number } | undefined> {
  try {
    await handle.result();
    return undefined;
  } catch (err) {
    for (let e: unknown = err; e instanceof Error; e = e.cause) {
      if (e instanceof ApplicationFailure && e.type === CASES_NOT_TOLD) {
        const r = e.details?.[0] as Partial<RecountResult> | undefined;
        if (typeof r?.told === 'number' && typeof r.failed === 'number')
          return { told: r.told, notTold: r.failed };
      }
    }
    return undefined;
  }
}
