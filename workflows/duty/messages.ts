import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CompletionInput, DutyOccurrence } from '../../domain/duties.ts';

export type RecordDutyInput = CompletionInput & { by: string };

export const DutyOccurrenceFailure = {
  NotOwner: 'DutyNotOwner',
  Closed: 'DutyClosed',
  BadCompletion: 'DutyBadCompletion',
} as const;

/** A completion (a standing post, an activity, a check); answers with the occurrence as it now stands. */
export const recordDutyUpdate = defineUpdate<DutyOccurrence, [RecordDutyInput]>('recordDuty');
export const dutyOccurrenceQuery = defineQuery<DutyOccurrence>('dutyOccurrence');

export interface DutyRunInput {
  /** Campus date to plan for; defaults to the date the schedule started the run. */
  date?: string | undefined;
  timeZone?: string | undefined;
  buildingIds?: string[] | undefined;
  dutyIds?: string[] | undefined;
}
