import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CheckEntry, InspectionRound } from '../../domain/inspection.ts';

export interface RecordChecksInput {
  by: string;
  results: CheckEntry[];
  finish: boolean;
}

export const InspectionRoundFailure = {
  NotAssigned: 'InspectionNotAssigned',
  NotOnChecklist: 'InspectionNotOnChecklist',
  Closed: 'InspectionRoundClosed',
  BadEntry: 'InspectionBadEntry',
} as const;

/** Results from the checklist; answers with the round as it now stands (with any cases opened). */
export const recordChecksUpdate = defineUpdate<InspectionRound, [RecordChecksInput]>('recordChecks');
export const inspectionRoundQuery = defineQuery<InspectionRound>('inspectionRound');
