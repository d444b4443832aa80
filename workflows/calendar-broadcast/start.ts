import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
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
  | { kind: 'failed' }
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
    if (status.name !== 'COMPLETED') return { kind: 'failed' };
    const { first, second } = await handle.result();
    return { kind: 'done', told: first.told + second.told, refused: first.refused };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return { kind: 'not_started' };
    throw err;
  }
}
