import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { ZeroReportActivities } from '../../activities/zero-report.ts';
import { localDate, localTimeToInstant } from '../../domain/calendar.ts';
import {
  correctionHistory,
  defaultZeroReportConfig,
  escalationsFor,
  NIGHT,
  zeroReportLimits,
  type ZeroReport,
} from '../../domain/zero-report.ts';
import { scheduledStart } from '../schedule-time.ts';
import {
  zeroNightQuery,
  zeroReportUpdate,
  ZeroReportFailure,
  type ZeroNightInput,
  type ZeroNightState,
  type ZeroReportUpdateInput,
} from './messages.ts';

/**
 * patched() id: a report sent `ifUnreported` (the one-click "none" link) is refused when the cell
 * has a report on record, instead of replacing it. Asked only for such a report on such a cell,
 * so a run that never meets one carries no marker.
 */
export const IF_UNREPORTED_PATCH = 'zero-report-if-unreported';

/**
 * patched() id: the run carries on the night's reports stored before it held the night (taken
 * over from a run that was terminated or failed), so a cell that reported is not escalated nor
 * left out of the summaries. Asked only when there are such reports, so an ordinary night
 * carries no marker, and a history recorded before ignores them as it did.
 */
export const ON_RECORD_PATCH = 'zero-report-carry-on-record';

/**
 * patched() id: a report whose write failed for good is taken back from the night's state (the
 * cell's report before it is restored), so the escalation and the summaries do not use a report
 * its sender was told was not taken. Asked only when such a write fails, so a night whose writes
 * all went through carries no marker.
 */
export const REFUSED_NOT_KEPT_PATCH = 'zero-report-refused-not-kept';

const acts = proxyActivities<ZeroReportActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { maximumAttempts: 10, nonRetryableErrorTypes: ['ZeroReportNoDirectory'] },
});

/**
 * One night's zero report (零报告, seed 001): ask every grid cell, take their
 * reports as updates until the close, escalate the cells still silent one
 * level up, have level 1 send each building's summary to the departments'
 * counsellors, then keep taking (late) reports for a while.
 */
export async function zeroReportNight(input: ZeroNightInput = {}): Promise<ZeroNightState> {
  const cfg = { ...defaultZeroReportConfig, ...input.config };
  const night = input.night ?? localDate(scheduledStart(), cfg.timeZone);
  if (!NIGHT.test(night))
    throw ApplicationFailure.nonRetryable(
      `night ${night} is not a date like 2026-12-04`,
      ZeroReportFailure.InvalidNight,
    );
  const closeAt = localTimeToInstant(night, cfg.closeAt, cfg.timeZone);
  const acceptUntil = new Date(Date.parse(closeAt) + cfg.lateMinutes * 60_000).toISOString();
  const state: ZeroNightState = {
    night,
    phase: 'opening',
    closeAt,
    acceptUntil,
    cells: [],
    reports: [],
    escalations: [],
  };
  let recording = 0;
  // Posts each cell's validator accepted tonight, counted before the handler's first await, so
  // several posts in one activation count each other. Read by the validator only.
  const accepted = new Map<string, number>();

  setHandler(zeroNightQuery, () => state);
  setHandler(
    zeroReportUpdate,
    async (r: ZeroReportUpdateInput): Promise<ZeroReport> => {
      accepted.set(r.cellId, (accepted.get(r.cellId) ?? 0) + 1);
      await condition(() => state.phase !== 'opening');
      if (state.phase === 'done')
        throw ApplicationFailure.create({
          message: `the zero report of ${night} is closed`,
          type: ZeroReportFailure.Closed,
        });
      const cell = state.cells.find((c) => c.cellId === r.cellId);
      if (!cell)
        throw ApplicationFailure.create({
          message: `no grid cell ${r.cellId}`,
          type: ZeroReportFailure.UnknownCell,
        });
      if (!cell.memberIds.includes(r.personId))
        throw ApplicationFailure.create({
          message: `${r.personId} is not a grid member of ${r.cellId}`,
          type: ZeroReportFailure.NotMember,
        });
      // Checked where it is written, in one step: a report taken after the link's page read the
      // board (its row not stored yet, or stored since) is not silently replaced by a "none".
      const onRecord = state.reports.find((x) => x.cellId === r.cellId);
      if (r.ifUnreported && onRecord && patched(IF_UNREPORTED_PATCH))
        throw ApplicationFailure.create({
          message: `cell ${r.cellId} has reported tonight already`,
          type: ZeroReportFailure.AlreadyReported,
          details: [onRecord],
        });
      const report: ZeroReport = {
        night,
        cellId: r.cellId,
        personId: r.personId,
        via: r.via,
        late: r.late,
        absent: r.absent,
        none: r.late.length === 0 && r.absent.length === 0,
        at: new Date().toISOString(),
        afterClose: state.phase === 'closed',
      };
      // A correction replaces the cell's earlier report, which it carries: nothing reported is lost.
      const earlier = correctionHistory(onRecord, report);
      if (earlier) report.earlier = earlier;
      state.reports = [...state.reports.filter((x) => x.cellId !== r.cellId), report];
      recording++;
      try {
        await acts.recordZeroReport(report);
      } catch (err) {
        // Not taken: the cell's report is the one before, unless a later report replaced this one.
        if (state.reports.find((x) => x.cellId === r.cellId) === report && patched(REFUSED_NOT_KEPT_PATCH))
          state.reports = [
            ...state.reports.filter((x) => x.cellId !== r.cellId),
            ...(onRecord ? [onRecord] : []),
          ];
        throw err;
      } finally {
        recording--;
      }
      return report;
    },
    {
      validator: (r: ZeroReportUpdateInput) => {
        if (state.phase === 'done')
          throw ApplicationFailure.create({
            message: `the zero report of ${night} is closed`,
            type: ZeroReportFailure.Closed,
          });
        if (typeof r?.cellId !== 'string' || typeof r.personId !== 'string')
          throw new Error('cellId and personId are required');
        if ((accepted.get(r.cellId) ?? 0) >= zeroReportLimits.reportsPerCell)
          throw ApplicationFailure.create({
            message: `cell ${r.cellId} has sent ${zeroReportLimits.reportsPerCell} reports tonight, the most a night takes`,
            type: ZeroReportFailure.TooManyReports,
          });
      },
    },
  );

  const opened = await acts.openZeroNight({
    night,
    workflowId: workflowInfo().workflowId,
    closeAt,
    acceptUntil,
    timeZone: cfg.timeZone,
  });
  // The night has a run already (a second trigger of the schedule): end without a word, so the
  // night keeps one run, every report goes to it and nobody is asked or escalated twice. A run
  // recorded before the claim has no `heldBy` in its result and goes on as it did. (A holder that
  // was terminated or failed is no run: the opening took the night over from it, see openZeroNight.)
  if (opened.heldBy !== undefined && opened.heldBy !== workflowInfo().workflowId) {
    state.heldBy = opened.heldBy;
    state.phase = 'done';
    await condition(allHandlersFinished);
    return state;
  }
  state.cells = opened.cells;
  if (opened.onRecord && opened.onRecord.length > 0 && patched(ON_RECORD_PATCH))
    state.reports = [...opened.onRecord];
  state.phase = 'open';

  const allIn = () => state.cells.every((c) => state.reports.some((r) => r.cellId === c.cellId));
  await condition(allIn, Math.max(0, Date.parse(closeAt) - Date.now()));
  // Everyone in early: still wait for the close, so the summary goes at the seed's time with every correction.
  if (Date.now() < Date.parse(closeAt)) await condition(() => false, Date.parse(closeAt) - Date.now());
  state.phase = 'closed';
  await condition(() => recording === 0);

  const missing = state.cells
    .filter((c) => !state.reports.some((r) => r.cellId === c.cellId))
    .map((c) => c.cellId);
  state.escalations = escalationsFor(state.cells, missing, opened.workingGroupIds);
  const at = new Date().toISOString();
  if (state.escalations.length > 0)
    await acts.escalateZeroReports({ night, at, cells: state.cells, escalations: state.escalations });
  await acts.sendZeroSummaries({ night, at, cells: state.cells, reports: state.reports });

  await condition(() => false, Math.max(0, Date.parse(acceptUntil) - Date.now()));
  state.phase = 'done';
  await condition(allHandlersFinished);
  return state;
}
