import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type {
  ZeroCell,
  ZeroEscalation,
  ZeroReport,
  ZeroReportConfig,
  ZeroReportInput,
} from '../../domain/zero-report.ts';

export interface ZeroNightInput {
  /** Campus date 'YYYY-MM-DD'; defaults to the date the schedule started the run on. */
  night?: string | undefined;
  config?: Partial<ZeroReportConfig> | undefined;
}

export interface ZeroNightState {
  night: string;
  phase: 'opening' | 'open' | 'closed' | 'done';
  closeAt: string;
  acceptUntil: string;
  cells: ZeroCell[];
  reports: ZeroReport[];
  escalations: ZeroEscalation[];
  /** Set when another run holds the night: this run asked nobody, took nothing and ended at once. */
  heldBy?: string | undefined;
}

export const ZeroReportFailure = {
  InvalidNight: 'ZeroReportInvalidNight',
  UnknownCell: 'ZeroReportUnknownCell',
  NotMember: 'ZeroReportNotMember',
  Closed: 'ZeroReportClosed',
  /** An `ifUnreported` report for a cell that has one tonight; its details carry the report on record. */
  AlreadyReported: 'ZeroReportAlreadyReported',
  /** A cell's report past zeroReportLimits.reportsPerCell tonight. */
  TooManyReports: 'ZeroReportTooManyReports',
} as const;

/** A report as the night's run takes it. */
export interface ZeroReportUpdateInput extends ZeroReportInput {
  /**
   * Taken only if the cell has no report tonight (the one-click "none" link, which must never
   * replace one): decided by the run, where reports are taken one at a time, not by a read before.
   */
  ifUnreported?: boolean | undefined;
}

/** A grid member's report for a cell; answers with the report as recorded (an update: the caller learns it was taken). */
export const zeroReportUpdate = defineUpdate<ZeroReport, [ZeroReportUpdateInput]>('zeroReport');
export const zeroNightQuery = defineQuery<ZeroNightState>('zeroNight');
