import { defineSearchAttributeKey } from '@temporalio/common';
import { workflowInfo } from '@temporalio/workflow';

/** Set by Temporal on workflows a schedule starts: the time the run was due, even when caught up late. */
export const scheduledStartKey = defineSearchAttributeKey('TemporalScheduledStartTime', 'DATETIME');

/** The instant this run was due: the schedule's time when a schedule started it, else the start time. */
export function scheduledStart(): string {
  const at = workflowInfo().typedSearchAttributes.get(scheduledStartKey);
  return (at ?? workflowInfo().startTime).toISOString();
}
