import { Context } from '@temporalio/activity';
import {
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
  type WorkflowExecutionInfo,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { overridesFrom, parseCalendarFile } from '../domain/calendar-file.ts';
import type { CalendarOverrides } from '../domain/calendar.ts';
import { latestCalendarVersion } from '../store/calendar-versions.ts';
import { CALENDAR_CHANGED_UPDATE, CASES_NOT_TOLD } from '../domain/calendar-change.ts';
import type { CalendarChangeAck, CalendarChangeInput } from '../workflows/rectification-case/messages.ts';
import type { ActivityDeps } from './index.ts';

export interface RecountInput {
  /** The version whose save asked for this; a newer one saved since is sent instead. */
  version: number;
  /** Only cases started from then on (the second pass, for cases that opened as the save landed). */
  startedSince?: string | undefined;
}

export interface RecountResult {
  /** The version the running cases were sent. */
  version: number;
  /** Cases that took it. */
  told: number;
  /** Cases that refused it: they had it already, or pinned no calendar. */
  refused: number;
  /** Cases that ended between the listing and the update. */
  gone: number;
  /** Cases that did not answer within UPDATE_TIMEOUT_MS or failed otherwise: told again on the next try. */
  failed: number;
  /** The first FAILED_IDS_KEPT of them, for the page and the logs. */
  failedIds: string[];
}

const FAILED_IDS_KEPT = 20;

/** The case workflows a calendar change goes to (duties' and inspections' cases included). */
const CASE_TYPES = ['rectificationCase', 'rectificationCaseV2'];
/** Updates in flight at once: a few, so a term's open cases are told in minutes without crowding the worker. */
const PARALLEL = 4;
/**
 * How long one case may take to answer. The client re-asks until an update is accepted, so a
 * case whose workflow tasks keep failing (or whose queue nobody polls) would otherwise hold the
 * whole broadcast, and every retry of it, at that case.
 */
export const UPDATE_TIMEOUT_MS = 30_000;

/**
 * Tells every running case of the newest saved calendar (the `calendarChanged` update), so a
 * closure day or next year's holidays reach deadlines already running. Idempotent: a case takes
 * each version once and refuses it again without a trace in its history, so a retried or
 * repeated broadcast only costs the calls.
 */
export function createCalendarBroadcastActivities(deps: ActivityDeps) {
  async function recountRunningCases(input: RecountInput): Promise<RecountResult> {
    const latest = await latestCalendarVersion({ ddb: deps.ddb, tables: deps.tables });
    if (!latest || latest.number < input.version)
      throw ApplicationFailure.nonRetryable(
        `calendar version ${input.version} is not saved`,
        'CalendarVersionMissing',
      );
    const parsed = parseCalendarFile(latest.text);
    // Checked before it was saved; one the bundled data no longer accepts is left to the file, as for new cases.
    if (!parsed.ok)
      throw ApplicationFailure.nonRetryable(
        `calendar version ${latest.number} no longer parses`,
        'CalendarVersionUnreadable',
      );
    const change = { version: latest.number, overrides: overridesFrom(parsed.file) };
    const { client, info } = Context.current();
    const result: RecountResult = {
      version: latest.number,
      told: 0,
      refused: 0,
      gone: 0,
      failed: 0,
      failedIds: [],
    };
    const timeoutMs = deps.calendarUpdateTimeoutMs ?? UPDATE_TIMEOUT_MS;
    const since = input.startedSince
      ? ` AND StartTime >= '${new Date(input.startedSince).toISOString()}'`
      : '';
    // The cases of this worker's queue: another deployment sharing the namespace keeps its own calendar.
    const types = CASE_TYPES.map((t) => `'${t}'`).join(', ');
    const query = `WorkflowType IN (${types}) AND ExecutionStatus = 'Running' AND TaskQueue = '${info.taskQueue}'${since}`;
    let batch: WorkflowExecutionInfo[] = [];
    const flush = async () => {
      const outcomes = await Promise.all(batch.map((wf) => tell(client, wf.workflowId, change, timeoutMs)));
      outcomes.forEach((o, i) => {
        result[o] += 1;
        const id = batch[i]?.workflowId;
        if (o === 'failed' && id && result.failedIds.length < FAILED_IDS_KEPT) result.failedIds.push(id);
      });
      batch = [];
      Context.current().heartbeat(result);
    };
    for await (const wf of client.workflow.list({ query })) {
      batch.push(wf);
      if (batch.length >= PARALLEL) await flush();
    }
    await flush();
    // Every other case has it now; the ones left are told when the daily check starts the broadcast again.
    if (result.failed > 0)
      throw ApplicationFailure.create({
        type: CASES_NOT_TOLD,
        nonRetryable: true,
        message: `${result.failed} running case(s) did not take calendar version ${result.version}: ${result.failedIds.join(', ')}`,
        details: [result],
      });
    return result;
  }
  /** The newest saved version (number and when), for the daily check's catch-up; null when none was saved. */
  async function newestCalendarVersion(): Promise<{ version: number; savedAt: string } | null> {
    const latest = await latestCalendarVersion({ ddb: deps.ddb, tables: deps.tables });
    return latest ? { version: latest.number, savedAt: latest.savedAt } : null;
  }
  return { recountRunningCases, newestCalendarVersion };
}

async function tell(
  client: Client,
  workflowId: string,
  change: { version: number; overrides: CalendarOverrides },
  timeoutMs: number,
): Promise<'told' | 'refused' | 'gone' | 'failed'> {
  try {
    await client.withAbortSignal(AbortSignal.timeout(timeoutMs), () =>
      client.workflow
        .getHandle(workflowId)
        .executeUpdate<CalendarChangeAck, [CalendarChangeInput]>(CALENDAR_CHANGED_UPDATE, { args: [change] }),
    );
    return 'told';
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return 'gone';
    // Refused by the case's validator (taken already, over, pinned none) or unknown to an old worker.
    if (err instanceof WorkflowUpdateFailedError) return 'refused';
    // One case's trouble is not the others': counted, and the rest go on.
    console.warn(`[calendar] case ${workflowId} did not take version ${change.version}: ${String(err)}`);
    return 'failed';
  }
}

export type CalendarBroadcastActivities = ReturnType<typeof createCalendarBroadcastActivities>;
