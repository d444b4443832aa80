// Workflows for test/api/calendar-broadcast-stuck.test.ts: two "cases" under the case workflows'
// type names, one that takes a calendar change and one whose every workflow task fails (as a
// case would with a replay bug), plus the real broadcast.
import { condition, defineUpdate, setHandler } from '@temporalio/workflow';
import { CALENDAR_CHANGED_UPDATE } from '../../domain/calendar-change.ts';

export { calendarBroadcast } from '../../workflows/calendar-broadcast/workflow.ts';

const calendarChanged = defineUpdate<{ version: number }, [{ version: number }]>(CALENDAR_CHANGED_UPDATE);

/** A case that takes any calendar change. */
export async function rectificationCaseV2(): Promise<void> {
  setHandler(calendarChanged, (change) => ({ version: change.version }));
  await condition(() => false);
}

/** A case stuck on a failing workflow task: it never accepts an update, nor refuses one. */
export async function rectificationCase(): Promise<void> {
  await Promise.resolve();
  throw new Error('stuck: this workflow task fails every time');
}
