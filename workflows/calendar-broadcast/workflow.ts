import { proxyActivities, sleep } from '@temporalio/workflow';
import type { CalendarBroadcastActivities, RecountResult } from '../../activities/calendar-broadcast.ts';

const acts = proxyActivities<CalendarBroadcastActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  retry: {
    maximumAttempts: 10,
    nonRetryableErrorTypes: ['CalendarVersionMissing', 'CalendarVersionUnreadable'],
  },
});

export interface CalendarBroadcastInput {
  version: number;
  /** When the version was saved. */
  savedAt: string;
}

/**
 * The id of the broadcast of a saved version: one per version and task queue (the cases a worker
 * runs are those of its queue), however often it is asked.
 */
export const calendarBroadcastId = (taskQueue: string, version: number) =>
  `calendar-broadcast.${taskQueue}.v${version}`;

/** How long after the save the second pass looks, and how far before the save it reaches back. */
export const SECOND_PASS_AFTER = '2 minutes';
const REACH_BACK_MS = 5 * 60_000;

/**
 * A calendar saved on the admin page, told to every running case (activities/calendar-broadcast.ts).
 * A case opening as the save lands may have read the calendar before it and not yet be listed:
 * a second pass, a little later, tells the cases started since shortly before the save.
 */
export async function calendarBroadcast(
  input: CalendarBroadcastInput,
): Promise<{ first: RecountResult; second: RecountResult }> {
  const first = await acts.recountRunningCases({ version: input.version });
  await sleep(SECOND_PASS_AFTER);
  const startedSince = new Date(Date.parse(input.savedAt) - REACH_BACK_MS).toISOString();
  const second = await acts.recountRunningCases({ version: input.version, startedSince });
  return { first, second };
}
