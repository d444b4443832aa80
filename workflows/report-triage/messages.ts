import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { TriageNotice, TriagePlanInput } from '../../domain/report-triage.ts';

export interface ReportTriageInput extends TriagePlanInput {
  reportId: string;
}

export interface ReportTriageState {
  reportId: string;
  /** Every notice the plan holds, due or not. */
  plan: TriageNotice[];
  /** The indexes of the notices sent. */
  sent: number[];
  /** How the chase ended: triaged (told by the API, or found so in the store), or every notice sent. */
  outcome?: 'triaged' | 'exhausted' | undefined;
}

/** Triage decided on the report: stop chasing. A signal, since the triage page need not wait for the chase. */
export const reportTriagedSignal = defineSignal<[{ status: string }]>('reportTriaged');
export const reportTriageQuery = defineQuery<ReportTriageState>('reportTriage');
