import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CompletionInput, DutyOccurrence } from '../../domain/duties.ts';

export type RecordDutyInput = CompletionInput & { by: string };

export const DutyOccurrenceFailure = {
  NotOwner: 'DutyNotOwner',
  Closed: 'DutyClosed',
  BadCompletion: 'DutyBadCompletion',
} as const;

/** The occurrence as it stands after a completion; `duplicate` when the completion was on record already. */
export type RecordDutyResult = DutyOccurrence & { duplicate?: true | undefined };

/** A completion (a standing post, an activity, a check); answers with the occurrence as it now stands. */
export const recordDutyUpdate = defineUpdate<RecordDutyResult, [RecordDutyInput]>('recordDuty');
export const dutyOccurrenceQuery = defineQuery<DutyOccurrence>('dutyOccurrence');

export interface DutyRunInput {
  /** Campus date to plan for; defaults to the date the schedule started the run. */
  date?: string | undefined;
  timeZone?: string | undefined;
  buildingIds?: string[] | undefined;
  dutyIds?: string[] | undefined;
}
