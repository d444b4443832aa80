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
  /** A post while another supervisor's finish is still being recorded. */
  Finishing: 'InspectionRoundFinishing',
  /** A finish while another post is still being saved (opening its failed items' cases). */
  Busy: 'InspectionRoundBusy',
  BadEntry: 'InspectionBadEntry',
  /** A finish while checklist items are unanswered; its details carry their ids. */
  Unanswered: 'InspectionUnanswered',
  /**
   * A change to an item whose failure opened a case (the case handles it now); its details carry
   * `{ itemId, caseId }` of each.
   */
  CaseOpened: 'InspectionItemCaseOpened',
  /**
   * A change to an item whose failure another post is opening a case for right now (its number is
   * not known yet); its details carry the item ids.
   */
  CaseOpening: 'InspectionItemCaseOpening',
  /**
   * Raised by the round's save activity (activities/inspection.ts), not the workflow: another
   * execution of the round's id owns its record, and this run's save changed nothing. An update
   * that meets it fails with it as its activity failure's cause.
   */
  Taken: 'InspectionRoundTaken',
} as const;

/** Results from the checklist; answers with the round as it now stands (with any cases opened). */
export const recordChecksUpdate = defineUpdate<InspectionRound, [RecordChecksInput]>('recordChecks');
export const inspectionRoundQuery = defineQuery<InspectionRound>('inspectionRound');
